import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailTemplate } from '../../../../shared/communications.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { currentUrl, renderApp, startWebTestServer, type WebTestServer } from '../../../test/harness.js';

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
    await waitFor(() => expect(templateNames(table)).toEqual(['Dash welcome']));
    const row = within(table).getByText('Dash welcome').closest('tr') as HTMLElement;
    expect(within(row).getByText('Transactional')).toBeTruthy();
    expect(within(row).getByText('v1')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Dash welcome' }).getAttribute('href')).toBe(
      `/communications/templates/${kept.id}`,
    );

    await user.click(screen.getByRole('switch', { name: 'Show archived' }));
    await waitFor(() => expect(currentUrl()).toBe('/communications?tab=templates&archived=1'));
    await waitFor(async () =>
      expect(templateNames(await screen.findByRole('table', { name: 'Email templates' })).sort()).toEqual([
        'Dash old promo',
        'Dash welcome',
      ]),
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
