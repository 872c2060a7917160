import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../../shared/customers.js';
import type { SlaPolicyList, TicketDetail, TicketList } from '../../../../shared/tickets.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The ticket queue, the new-ticket modal, the customer tab and SLA policies against a real server. */
let server: WebTestServer;
let admin: StaffHandle;
let customer: Customer;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  customer = await makeCustomer(server, admin, { first_name: 'Grace', last_name: 'Hopper' });
});
afterAll(() => server?.close());

async function seedTicket(body: Record<string, unknown>): Promise<TicketDetail> {
  const res = await server.request({ method: 'POST', url: '/api/crm/tickets', as: admin, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TicketDetail>();
}

async function setStatus(ticket: TicketDetail, status: string) {
  const res = await server.request({
    method: 'PUT',
    url: `/api/crm/tickets/${ticket.id}`,
    as: admin,
    payload: { status, version: ticket.version },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const table = () => screen.findByRole('table', { name: 'Tickets' });
const subjects = (t: HTMLElement) =>
  within(t)
    .queryAllByRole('link')
    .map((a) => a.textContent)
    .filter((text) => text?.startsWith('Q-'));

describe('ticket queue', () => {
  beforeAll(async () => {
    await seedTicket({ subject: 'Q-open printer jam', priority: 'high', customer_id: customer.id });
    await seedTicket({ subject: 'Q-open login fails', priority: 'low' });
    await setStatus(await seedTicket({ subject: 'Q-pending refund' }), 'pending');
    await setStatus(await seedTicket({ subject: 'Q-closed old thing' }), 'closed');
  });

  it('shows open tickets with per-status counts, and switches tabs through the URL', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/tickets');
    const tabs = await screen.findByRole('tablist', { name: 'Ticket status' });
    await waitFor(() =>
      expect(subjects(screen.getByRole('table', { name: 'Tickets' })).sort()).toEqual([
        'Q-open login fails',
        'Q-open printer jam',
      ]),
    );
    expect(within(tabs).getByRole('tab', { name: /^Open/ }).textContent).toContain('2');
    expect(within(tabs).getByRole('tab', { name: /^Pending/ }).textContent).toContain('1');
    expect(within(tabs).getByRole('tab', { name: /^Closed/ }).textContent).toContain('1');

    const row = within(await table())
      .getByText('Q-open printer jam')
      .closest('tr') as HTMLElement;
    expect(within(row).getByRole('link', { name: 'Grace Hopper' }).getAttribute('href')).toBe(
      `/customers/${customer.id}`,
    );
    expect(within(row).getByText('High')).toBeTruthy();

    await user.click(within(tabs).getByRole('tab', { name: /^Pending/ }));
    await waitFor(() => expect(currentUrl()).toBe('/tickets?tab=pending'));
    await waitFor(async () => expect(subjects(await table())).toEqual(['Q-pending refund']));
  });

  it('reads the tab and priority filter from the URL', async () => {
    await server.signIn('agent');
    await renderApp('/tickets?priority=low');
    await waitFor(async () => expect(subjects(await table())).toEqual(['Q-open login fails']));
    const tabs = screen.getByRole('tablist', { name: 'Ticket status' });
    expect(within(tabs).getByRole('tab', { name: /^Open/ }).textContent).toContain('1');
    expect(within(tabs).getByRole('tab', { name: /^Open/ }).getAttribute('aria-selected')).toBe('true');

    cleanup();
    await renderApp('/tickets?tab=closed');
    await waitFor(async () => expect(subjects(await table())).toEqual(['Q-closed old thing']));
  });

  it('marks a breached ticket with a red badge and counts it', async () => {
    const late = await seedTicket({ subject: 'Q-late delivery', priority: 'urgent' });
    // no API moves a due time into the past: age the ticket in the database
    await server.database.db
      .updateTable('tickets')
      .set({ sla_due_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', late.id)
      .execute();
    await server.signIn('agent');
    const { user } = await renderApp('/tickets');
    const row = (await within(await table()).findByText('Q-late delivery')).closest('tr') as HTMLElement;
    expect(within(row).getByText('Breached')).toBeTruthy();
    const others = within(await table())
      .getByText('Q-open login fails')
      .closest('tr') as HTMLElement;
    expect(within(others).queryByText('Breached')).toBeNull();

    const tabs = screen.getByRole('tablist', { name: 'Ticket status' });
    expect(within(tabs).getByRole('tab', { name: /^Breached/ }).textContent).toContain('1');
    await user.click(within(tabs).getByRole('tab', { name: /^Breached/ }));
    await waitFor(async () => expect(subjects(await table())).toEqual(['Q-late delivery']));
    expect(currentUrl()).toBe('/tickets?tab=breached');
  });

  it('creates a ticket from the queue and lands on its page', async () => {
    const agent = await server.signIn('agent');
    const { user } = await renderApp('/tickets');
    await user.click(await screen.findByRole('button', { name: 'New ticket' }));
    const dialog = await screen.findByRole('dialog', { name: 'New ticket' });
    await user.click(within(dialog).getByRole('button', { name: 'Open ticket' }));
    expect(await within(dialog).findByText('Subject is required')).toBeTruthy();

    await user.type(within(dialog).getByRole('textbox', { name: 'Subject' }), 'Q-new broken zipper');
    await user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'The zipper came off.');
    await user.click(within(dialog).getByRole('combobox', { name: 'Priority' }));
    await user.click(await screen.findByRole('option', { name: 'Urgent' }));
    await user.type(within(dialog).getByRole('combobox', { name: /^Customer/ }), 'Hopper');
    await user.click(await screen.findByRole('option', { name: /Grace Hopper/ }, { timeout: 5000 }));
    await user.click(within(dialog).getByRole('button', { name: 'Open ticket' }));

    expect(await findNotification('opened')).toBeTruthy();
    await waitFor(() => expect(currentUrl()).toMatch(/^\/tickets\/[0-9a-f-]{36}$/));
    expect(await screen.findByRole('heading', { name: 'Q-new broken zipper' })).toBeTruthy();

    const id = currentUrl().split('/').pop();
    const stored = await server.request({ method: 'GET', url: `/api/crm/tickets/${id}`, as: admin });
    expect(stored.json<TicketDetail>()).toMatchObject({
      subject: 'Q-new broken zipper',
      description: 'The zipper came off.',
      priority: 'urgent',
      assignee: null,
      customer: { id: customer.id },
      created_by: agent.id,
    });
  });

  it('lets a viewer read the queue but not create tickets or edit SLA policies', async () => {
    await server.signIn('viewer');
    await renderApp('/tickets');
    await within(await table()).findByText('Q-open printer jam');
    expect(screen.queryByRole('button', { name: 'New ticket' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'SLA policies' })).toBeNull();
  });
});

describe('customer tickets tab', () => {
  it("lists the customer's tickets and opens a new one for them", async () => {
    const other = await makeCustomer(server, admin, { first_name: 'Ada', last_name: 'Lovelace' });
    await seedTicket({ subject: 'C-engine question', customer_id: other.id });
    await server.signIn('agent');
    const { user } = await renderApp(`/customers/${other.id}`);
    await user.click(await screen.findByRole('tab', { name: 'Tickets' }));
    const list = await screen.findByRole('table', { name: 'Customer tickets' });
    expect(within(list).getByRole('link', { name: 'C-engine question' })).toBeTruthy();
    expect(within(list).queryByText('Q-open printer jam')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'New ticket' }));
    const dialog = await screen.findByRole('dialog', { name: 'New ticket' });
    expect(within(dialog).queryByRole('combobox', { name: /^Customer/ })).toBeNull();
    await user.type(within(dialog).getByRole('textbox', { name: 'Subject' }), 'C-second question');
    await user.click(within(dialog).getByRole('button', { name: 'Open ticket' }));
    await waitFor(() => expect(currentUrl()).toMatch(/^\/tickets\//));
    const res = await server.request({
      method: 'GET',
      url: `/api/crm/tickets?customer_id=${other.id}&status=open`,
      as: admin,
    });
    expect(
      res
        .json<TicketList>()
        .data.map((t) => t.subject)
        .sort(),
    ).toEqual(['C-engine question', 'C-second question']);
  });

  it('shows an empty state for a customer without tickets', async () => {
    const fresh = await makeCustomer(server, admin);
    await server.signIn('viewer');
    const { user } = await renderApp(`/customers/${fresh.id}`);
    await user.click(await screen.findByRole('tab', { name: 'Tickets' }));
    expect(await screen.findByText('No tickets for this customer yet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New ticket' })).toBeNull();
  });
});

describe('SLA policies', () => {
  it('lets an admin change resolution minutes per priority', async () => {
    await server.signIn('admin');
    const { user } = await renderApp('/tickets');
    await user.click(await screen.findByRole('button', { name: 'SLA policies' }));
    const dialog = await screen.findByRole('dialog', { name: 'SLA policies' });
    const urgent = await within(dialog).findByRole('textbox', { name: 'Urgent resolution (minutes)' });
    await user.clear(urgent);
    await user.type(urgent, '90');
    expect(await within(dialog).findByText('1.5 hours')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Save policies' }));
    expect(await findNotification('SLA policies saved')).toBeTruthy();
    const res = await server.request({ method: 'GET', url: '/api/crm/tickets/sla-policies', as: admin });
    expect(res.json<SlaPolicyList>().data.find((p) => p.priority === 'urgent')?.resolution_minutes).toBe(90);
  });

  it('is not offered to an agent', async () => {
    await server.signIn('agent');
    await renderApp('/tickets');
    expect(await screen.findByRole('button', { name: 'New ticket' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'SLA policies' })).toBeNull();
  });
});
