import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, EmailTemplate } from '../../../../shared/communications.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The Email page against a real server: tabs in the URL, templates, permissions. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function seedTemplate(name: string, body: Record<string, unknown> = {}): Promise<EmailTemplate> {
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/email-templates',
    as: admin,
    payload: {
      name,
      subject: 'Hi {{first_name}}',
      body_html: '<p>Hello {{first_name}}</p>',
      body_text: 'Hello {{first_name}}',
      ...body,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<EmailTemplate>();
}

const templateNames = (table: HTMLElement) =>
  within(table)
    .queryAllByRole('link')
    .map((a) => a.textContent);

/** A manual segment with these customers in it. */
async function seedSegment(name: string, customerIds: string[]): Promise<string> {
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/segments',
    as: admin,
    payload: { name, auto_update: false },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json<{ id: string }>().id;
  const add = await server.request({
    method: 'POST',
    url: `/api/crm/segments/${id}/members`,
    as: admin,
    payload: { customer_ids: customerIds },
  });
  expect(add.statusCode, add.body).toBeLessThan(300);
  return id;
}

const readerAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const stat = (label: string) => screen.getByRole('group', { name: label });

describe('email page: overview before any email', () => {
  it('says nothing was sent yet, and that mail goes to the outbox', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/communications');
    expect(await screen.findByText('No email sent in this period')).toBeTruthy();
    expect(screen.getByText(/Send an email from a customer's profile, or start a campaign/)).toBeTruthy();
    expect(await screen.findByText('Email is not delivered')).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: 'Last 90 days' }));
    await waitFor(() => expect(currentUrl()).toBe('/communications?days=90'));
    expect(await screen.findByText(/Nothing went out in the last 90 days/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Go to campaigns' }));
    await waitFor(() => expect(currentUrl()).toBe('/communications?tab=campaigns&days=90'));
  });
});

describe('email page: a campaign, then its numbers', () => {
  let template: EmailTemplate;
  beforeAll(async () => {
    template = await seedTemplate('Dash campaign', { subject: 'Hello {{first_name}}' });
    const members = [
      await makeCustomer(server, admin, { first_name: 'Ana' }),
      await makeCustomer(server, admin, { first_name: 'Ben' }),
      await makeCustomer(server, admin, {
        first_name: 'Di',
        communication_preferences: { do_not_contact: true },
      }),
    ];
    await seedSegment(
      'Dash list',
      members.map((m) => m.id),
    );
  });

  it('starts a campaign: fields required, sample render, confirmation with the count, progress, then the table', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/communications?tab=campaigns');
    await user.click(await screen.findByRole('button', { name: 'New campaign' }));
    const dialog = await screen.findByRole('dialog', { name: 'New campaign' });
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(await within(dialog).findByText('Choose a segment')).toBeTruthy();
    expect(within(dialog).getByText('Choose a template')).toBeTruthy();

    await user.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Dash spring');
    await user.click(within(dialog).getByRole('combobox', { name: /^Segment/ }));
    await user.click(await screen.findByRole('option', { name: 'Dash list (3 customers)' }));
    await user.click(within(dialog).getByRole('combobox', { name: /^Template/ }));
    await user.click(await screen.findByRole('option', { name: 'Dash campaign v1' }));
    await waitFor(() => expect(within(dialog).getByTestId('preview-subject').textContent).toBe('Hello Ada'));

    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(
      await within(dialog).findByText('Send “Dash campaign” to about 3 customers of Dash list?'),
    ).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Send campaign' }));
    expect(await within(dialog).findByRole('progressbar', { name: 'Campaign progress' })).toBeTruthy();
    // the job waits in the queue until a worker runs it
    await server.app.workers.runner.runDue();
    expect(await findNotification('Campaign Dash spring sent: 2 sent, 1 skipped')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New campaign' })).toBeNull());

    const table = await screen.findByRole('table', { name: 'Campaigns' });
    const row = (await within(table).findByText('Dash spring')).closest('tr') as HTMLElement;
    await waitFor(() => expect(within(row).getByText('Sent')).toBeTruthy());
    expect(within(row).getByRole('link', { name: 'Dash list' })).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Dash campaign v1' }).getAttribute('href')).toBe(
      `/communications/templates/${template.id}`,
    );
    expect(within(row).getByLabelText('1 skipped: Do not contact: 1')).toBeTruthy();
    const cells = within(row)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    // recipients are who it went to; the skipped come on top
    expect(cells.slice(3, 6)).toEqual(['2', '2', '1']);

    const stored = await server.request({
      method: 'GET',
      url: '/api/crm/communications/campaigns',
      as: admin,
    });
    expect(stored.json<{ data: Campaign[] }>().data[0]).toMatchObject({
      name: 'Dash spring',
      status: 'sent',
      sent: 2,
      template: { id: template.id, version: 1 },
    });
  });

  it('shows the server refusing a campaign on the field it names', async () => {
    const doomed = await seedTemplate('Dash doomed');
    await server.signIn('manager');
    const { user } = await renderApp('/communications?tab=campaigns');
    await user.click(await screen.findByRole('button', { name: 'New campaign' }));
    const dialog = await screen.findByRole('dialog', { name: 'New campaign' });
    await user.click(within(dialog).getByRole('combobox', { name: /^Segment/ }));
    await user.click(await screen.findByRole('option', { name: /^Dash list/ }));
    await user.click(within(dialog).getByRole('combobox', { name: /^Template/ }));
    await user.click(await screen.findByRole('option', { name: 'Dash doomed v1' }));
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    // archived by someone else while this dialog was open
    await server.database.db
      .updateTable('email_templates')
      .set({ archived: true })
      .where('id', '=', doomed.id)
      .execute();
    await user.click(await within(dialog).findByRole('button', { name: 'Send campaign' }));
    expect(await within(dialog).findByText('This template is archived')).toBeTruthy();
    expect(
      within(dialog)
        .getByRole('combobox', { name: /^Template/ })
        .getAttribute('aria-invalid'),
    ).toBe('true');
  });

  it('counts the sent email on the overview, with machine opens apart', async () => {
    const emails = await server.database.db
      .selectFrom('emails')
      .select('id')
      .where('template_id', '=', template.id)
      .orderBy('id')
      .execute();
    expect(emails).toHaveLength(2);
    // an open within seconds of sending is a prefetch, not a reader: these went out an hour ago
    await server.database.db
      .updateTable('emails')
      .set({ sent_at: new Date(Date.now() - 3_600_000) })
      .where('template_id', '=', template.id)
      .execute();
    // one opened by a person, one only by a privacy proxy
    const tracked = await server.request({
      method: 'POST',
      url: '/api/crm/communications/track',
      as: admin,
      payload: {
        events: [
          { email_id: emails[0]!.id, event: 'opened', user_agent: readerAgent },
          { email_id: emails[1]!.id, event: 'opened', machine: true },
        ],
      },
    });
    expect(tracked.statusCode, tracked.body).toBe(200);

    await server.signIn('viewer');
    await renderApp('/communications');
    await waitFor(() => expect(stat('Sent').textContent).toContain('2'));
    expect(stat('Open rate').textContent).toContain('50%');
    expect(stat('Open rate').textContent).toContain('+50% machine opens, not counted');
    const byTemplate = screen.getByRole('table', { name: 'By template' });
    const row = within(byTemplate)
      .getByRole('link', { name: 'Dash campaign v1' })
      .closest('tr') as HTMLElement;
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['2', '50%', '0%', '0%', '0%']);
    expect(within(screen.getByRole('table', { name: 'By campaign' })).getByText('Dash spring')).toBeTruthy();
    expect(
      within(screen.getByRole('table', { name: 'By segment' })).getByRole('link', { name: 'Dash list' }),
    ).toBeTruthy();
    expect(screen.getByRole('img', { name: /Open, click and reply rates per day/ })).toBeTruthy();
  });
});

describe('email page: templates', () => {
  let kept: EmailTemplate;
  let archived: EmailTemplate;
  beforeAll(async () => {
    kept = await seedTemplate('Dash welcome', { category: 'transactional' });
    archived = await seedTemplate('Dash old promo');
    // only a template that sent mail is archived by the API; age this one in the database
    await server.database.db
      .updateTable('email_templates')
      .set({ archived: true })
      .where('id', '=', archived.id)
      .execute();
  });

  it('lists templates with their category and version, archived ones only when asked for', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/communications?tab=templates');
    const tabs = await screen.findByRole('tablist', { name: 'Email sections' });
    expect(within(tabs).getByRole('tab', { name: 'Templates' }).getAttribute('aria-selected')).toBe('true');
    const table = await screen.findByRole('table', { name: 'Email templates' });
    await waitFor(() => expect(templateNames(table)).toContain('Dash welcome'));
    expect(templateNames(table)).not.toContain('Dash old promo');
    const row = within(table).getByText('Dash welcome').closest('tr') as HTMLElement;
    expect(within(row).getByText('Transactional')).toBeTruthy();
    expect(within(row).getByText('v1')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Dash welcome' }).getAttribute('href')).toBe(
      `/communications/templates/${kept.id}`,
    );
    // the campaign's template shows its use over the period (the campaign tests sent it)
    const used = within(table).getByText('Dash campaign').closest('tr') as HTMLElement;
    await waitFor(() =>
      expect(
        within(used)
          .getAllByRole('cell')
          .map((c) => c.textContent)
          .slice(0, 5),
      ).toEqual(['Marketing', 'v1', '2', '50%', '0%']),
    );

    await user.click(screen.getByRole('switch', { name: 'Show archived' }));
    await waitFor(() => expect(currentUrl()).toBe('/communications?tab=templates&archived=1'));
    await waitFor(async () =>
      expect(templateNames(await screen.findByRole('table', { name: 'Email templates' }))).toEqual(
        expect.arrayContaining(['Dash old promo', 'Dash welcome']),
      ),
    );
    const oldRow = screen.getByText('Dash old promo').closest('tr') as HTMLElement;
    expect(within(oldRow).getByText('Archived')).toBeTruthy();

    await user.click(screen.getByRole('link', { name: 'New template' }));
    await waitFor(() => expect(currentUrl()).toBe('/communications/templates/new'));
  });

  it('switches tabs through the URL', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/communications');
    const tabs = await screen.findByRole('tablist', { name: 'Email sections' });
    expect(within(tabs).getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe('true');
    await user.click(within(tabs).getByRole('tab', { name: 'Campaigns' }));
    await waitFor(() => expect(currentUrl()).toBe('/communications?tab=campaigns'));
    expect(await screen.findByRole('button', { name: 'New campaign' })).toBeTruthy();
  });

  it('shows a viewer no New template and no New campaign', async () => {
    await server.signIn('viewer');
    await renderApp('/communications?tab=templates');
    const table = await screen.findByRole('table', { name: 'Email templates' });
    await waitFor(() => expect(templateNames(table)).toContain('Dash welcome'));
    expect(screen.queryByRole('link', { name: 'New template' })).toBeNull();

    cleanup();
    await renderApp('/communications?tab=campaigns');
    await screen.findByRole('tab', { name: 'Campaigns', selected: true });
    await waitFor(() => expect(screen.queryByRole('status', { name: 'Loading campaigns' })).toBeNull());
    expect(screen.queryByRole('button', { name: 'New campaign' })).toBeNull();
  });
});
