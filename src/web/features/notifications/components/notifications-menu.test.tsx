import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import type { Customer } from '../../../../shared/customers.js';
import type { NotificationList } from '../../../../shared/notifications.js';
import { queryClient } from '../../../app/query-client.js';
import { queryKeys } from '../../../lib/query-keys.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The header's bell against a real server: mentions by a colleague, open, mark read, mark all read. */
let server: WebTestServer;
let colleague: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  colleague = await server.staff('agent');
});
afterAll(() => server?.close());

/** The colleague writes a note on the customer mentioning `whom`. */
async function mention(customer: Customer, whom: StaffHandle, text = 'please call them back') {
  const res = await server.request({
    method: 'POST',
    url: `/api/crm/customers/${customer.id}/notes`,
    as: colleague,
    payload: { content: `@[Someone](staff:${whom.id}) ${text}` },
  });
  expect(res.statusCode).toBe(201);
}

async function storedNotifications(as: StaffHandle): Promise<NotificationList> {
  const res = await server.request({ method: 'GET', url: '/api/crm/notifications', as });
  return res.json<NotificationList>();
}

describe('notifications menu', () => {
  it('shows the unread count, lists the mention, and opening it marks it read and goes to the customer', async () => {
    const customer = await makeCustomer(server, colleague, { first_name: 'Mona', last_name: 'Mentioned' });
    const me = await server.signIn('agent');
    await mention(customer, me, 'the invoice is overdue');
    const { user } = await renderApp('/customers');

    // the first render loads the app's modules: slow on a busy machine
    const bell = await screen.findByRole('button', { name: 'Notifications, 1 unread' }, { timeout: 30_000 });
    // first load does not toast old news
    expect(screen.queryAllByRole('alert').some((a) => a.textContent?.includes('mentioned you'))).toBe(false);
    await user.click(bell);
    const list = await screen.findByRole('list', { name: 'Notifications' });
    const item = within(list).getByRole('button', { name: /^Unread: .*mentioned you on Mona Mentioned/ });
    expect(within(item).getByText(/the invoice is overdue/)).toBeTruthy();
    await user.click(item);

    await waitFor(() => expect(currentUrl()).toBe(`/customers/${customer.id}`));
    await waitFor(async () => {
      const stored = await storedNotifications(me);
      expect(stored.unread_count).toBe(0);
      expect(stored.data[0]?.read_at).not.toBeNull();
    });
    expect(await screen.findByRole('button', { name: 'Notifications, 0 unread' })).toBeTruthy();
  });

  it('marks all read, zeroing the badge, and the Unread filter is then empty', async () => {
    const customer = await makeCustomer(server, colleague);
    const me = await server.signIn('agent');
    await mention(customer, me, 'first');
    await mention(customer, me, 'second');
    const { user } = await renderApp('/customers');

    await user.click(await screen.findByRole('button', { name: 'Notifications, 2 unread' }));
    const list = await screen.findByRole('list', { name: 'Notifications' });
    expect(within(list).getAllByRole('button', { name: /^Unread: / })).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Mark all read' }));

    expect(await screen.findByRole('button', { name: 'Notifications, 0 unread' })).toBeTruthy();
    expect((await storedNotifications(me)).unread_count).toBe(0);
    await waitFor(() => expect(within(list).queryAllByRole('button', { name: /^Unread: / })).toHaveLength(0));
    await user.click(screen.getByText('Unread'));
    expect(await screen.findByText("You're all caught up")).toBeTruthy();
  });

  it('toasts a notification that arrives while the app is open', async () => {
    const customer = await makeCustomer(server, colleague, { first_name: 'Tom', last_name: 'Toasted' });
    const me = await server.signIn('agent');
    await renderApp('/customers');
    await screen.findByRole('button', { name: 'Notifications, 0 unread' });

    await mention(customer, me, 'fresh news');
    // what the 30 s poll or the server-sent event would do
    await queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all });
    expect(await screen.findByRole('button', { name: 'Notifications, 1 unread' })).toBeTruthy();
    const toast = await findNotification('mentioned you on Tom Toasted');
    expect(toast.textContent).toContain('fresh news');
  });
});
