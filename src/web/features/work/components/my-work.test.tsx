import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationList } from '../../../../shared/notifications.js';
import type { Task } from '../../../../shared/tasks.js';
import type { Ticket } from '../../../../shared/tickets.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { renderApp, startWebTestServer, type WebTestServer } from '../../../test/harness.js';

/** My work against a real server: my tasks (overdue first), tickets, unread mentions, owned customers. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function post<T>(url: string, payload: Record<string, unknown>): Promise<T> {
  const res = await server.request({ method: 'POST', url, as: admin, payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<T>();
}

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe('my work', () => {
  it('shows my overdue task first, my ticket, an unread mention and my customer', async () => {
    const me = await server.signIn('agent');
    const customer = await makeCustomer(server, admin, {
      first_name: 'Olive',
      last_name: 'Owned',
      owner_id: me.id,
    });
    await post<Task>('/api/crm/tasks', {
      title: 'Due tomorrow',
      assignee_id: me.id,
      due_at: hoursFromNow(24),
    });
    const overdue = await post<Task>('/api/crm/tasks', {
      title: 'Already late',
      assignee_id: me.id,
      due_at: hoursFromNow(-2),
    });
    await post<Task>('/api/crm/tasks', { title: 'Someone else’s task', assignee_id: admin.id });
    const ticket = await post<Ticket>('/api/crm/tickets', {
      subject: 'Broken grinder',
      customer_id: customer.id,
      assignee_id: me.id,
      priority: 'high',
    });
    await post(`/api/crm/customers/${customer.id}/notes`, {
      content: `Please check this, @[Agent](staff:${me.id}) — thanks`,
    });

    const { user } = await renderApp('/my-work');
    expect(
      await screen.findByRole('heading', { name: /^Good (morning|afternoon|evening), Agent/ }),
    ).toBeTruthy();

    const tasks = await screen.findByRole('region', { name: 'My tasks' });
    const items = within(tasks).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringContaining('Already late'),
      expect.stringContaining('Due tomorrow'),
    ]);
    expect(within(items[0]!).getByText('Overdue')).toBeTruthy();
    expect(within(tasks).getByText('1 overdue')).toBeTruthy();
    expect(
      within(tasks)
        .getByRole('link', { name: /All my tasks/ })
        .getAttribute('href'),
    ).toBe('/tasks?assignee=me');
    expect(within(tasks).getByRole('button', { name: 'New task' })).toBeTruthy();

    const tickets = screen.getByRole('region', { name: 'My tickets' });
    const subject = within(tickets).getByRole('link', { name: 'Broken grinder' });
    expect(subject.getAttribute('href')).toBe(`/tickets/${ticket.id}`);
    expect(within(tickets).getByText(`#${ticket.number}`)).toBeTruthy();
    expect(within(tickets).getByText('High')).toBeTruthy();

    const customers = screen.getByRole('region', { name: 'My customers' });
    expect(within(customers).getByRole('link', { name: 'Olive Owned' }).getAttribute('href')).toBe(
      `/customers/${customer.id}`,
    );

    const mentions = screen.getByRole('region', { name: 'Mentions' });
    const where = within(mentions).getByRole('link', { name: /mentioned you/ });
    expect(where.getAttribute('href')).toBe(`/customers/${customer.id}`);
    expect(within(mentions).getByText(/Please check this, @Agent/)).toBeTruthy();
    await user.click(within(mentions).getByRole('button', { name: /^Mark read/ }));
    expect(await within(mentions).findByText('No unread mentions.')).toBeTruthy();
    const res = await server.request({
      method: 'GET',
      url: '/api/crm/notifications?kind=mention&unread=true',
      as: me,
    });
    expect(res.json<NotificationList>().data).toEqual([]);

    // ticking the overdue task off saves it and takes it off my plate
    await user.click(within(tasks).getByRole('checkbox', { name: 'Mark task Already late done' }));
    await waitFor(() => expect(within(tasks).queryByText('Already late')).toBeNull());
    const stored = await server.request({ method: 'GET', url: `/api/crm/tasks/${overdue.id}`, as: admin });
    expect(stored.json<Task>().done).toBe(true);
  });

  it('shows an empty state per card, and no New task for a viewer', async () => {
    await server.signIn('viewer');
    await renderApp('/my-work');
    const tasks = await screen.findByRole('region', { name: 'My tasks' });
    expect(within(tasks).getByText(/Nothing to do/)).toBeTruthy();
    expect(within(tasks).queryByRole('button', { name: 'New task' })).toBeNull();
    expect(screen.getByText('No open tickets assigned to you.')).toBeTruthy();
    expect(screen.getByText('No unread mentions.')).toBeTruthy();
    expect(screen.getByText('You do not own any customers yet.')).toBeTruthy();
  });

  it('shows the task list without New task or edit actions to a viewer', async () => {
    await post<Task>('/api/crm/tasks', { title: 'Visible to all', assignee_id: null });
    await server.signIn('viewer');
    await renderApp('/tasks?assignee=all');
    const table = await screen.findByRole('table', { name: 'Tasks' });
    await waitFor(() => expect(within(table).getByText('Visible to all')).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'New task' })).toBeNull();
    expect(within(table).queryByRole('button', { name: /^Edit task/ })).toBeNull();
    expect(
      (within(table).getByRole('checkbox', { name: 'Mark task Visible to all done' }) as HTMLInputElement)
        .disabled,
    ).toBe(true);
  });
});
