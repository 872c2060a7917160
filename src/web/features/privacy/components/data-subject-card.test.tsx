import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditList } from '../../../../shared/audit.js';
import type { Customer } from '../../../../shared/customers.js';
import { makeCustomer, makeOrder } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** Data-subject requests on the profile against a real server: the JSON copy and erasure. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => server?.close());

async function storedCustomer(id: string): Promise<Customer> {
  const res = await server.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Customer>();
}

async function auditActions(customerId: string): Promise<string[]> {
  const res = await server.request({
    method: 'GET',
    url: `/api/crm/audit?subject_type=customer&subject_id=${customerId}`,
    as: admin,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AuditList>().data.map((e) => e.action);
}

async function openProfile(id: string) {
  const view = await renderApp(`/customers/${id}`);
  await screen.findByRole('heading', { level: 1 }, { timeout: 30_000 });
  const card = await screen.findByRole('region', { name: 'Personal data' });
  return { ...view, card };
}

describe('data-subject requests on the profile', () => {
  it('downloads everything held about the person as JSON, audited', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Dora', last_name: 'Subject' });
    await server.signIn('admin');
    // what the browser is handed to save: the file, and the download link clicked (happy-dom
    // would follow that link instead of saving the file, so the click itself goes nowhere)
    const blobs = vi.spyOn(URL, 'createObjectURL');
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { user, card } = await openProfile(customer.id);
    await user.click(within(card).getByRole('button', { name: 'Download data (JSON)' }));
    await findNotification('The data held about Dora Subject was downloaded');
    const link = (clicks.mock.contexts as HTMLAnchorElement[]).find((a) => a.download);
    expect(link?.download).toBe(`customer-${customer.id}-data.json`);
    const file = blobs.mock.calls.at(-1)?.[0] as Blob;
    const data = JSON.parse(await file.text()) as { customer: { first_name: string }; sections: object };
    expect(data.customer.first_name).toBe('Dora');
    expect(data.sections).toHaveProperty('orders');
    expect(await auditActions(customer.id)).toContain('privacy.data_export');
  });

  it('erases only after ERASE is typed, keeps the orders, and shows the profile as erased', async () => {
    const customer = await makeCustomer(server, admin, {
      first_name: 'Erin',
      last_name: 'Gone',
      email: 'erin.gone@example.com',
    });
    await makeOrder(server, admin, customer.id);
    await server.signIn('admin');
    const { user, card } = await openProfile(customer.id);
    await user.click(within(card).getByRole('button', { name: 'Erase personal data…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Erase personal data?' });
    expect(within(dialog).getByText('This cannot be undone')).toBeTruthy();
    expect(within(dialog).getByText(/Orders with their items, amounts and dates/)).toBeTruthy();
    const erase = within(dialog).getByRole('button', { name: 'Erase personal data' }) as HTMLButtonElement;
    expect(erase.disabled).toBe(true);
    const confirm = within(dialog).getByRole('textbox', { name: 'Type ERASE to confirm' });
    await user.type(confirm, 'erase');
    expect(erase.disabled).toBe(true);
    await user.clear(confirm);
    await user.type(confirm, 'ERASE');
    expect(erase.disabled).toBe(false);
    await user.type(within(dialog).getByRole('textbox', { name: 'Reason' }), 'Request #4711');
    await user.click(erase);

    await findNotification('The personal data of Erin Gone was erased');
    const stored = await storedCustomer(customer.id);
    expect(stored.erased_at).not.toBeNull();
    expect(stored.first_name).toBeNull();
    expect(stored.total_orders).toBe(1);
    expect(await auditActions(customer.id)).toContain('privacy.erasure');

    expect(await screen.findByText('Personal data erased')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Erased customer' })).toBeTruthy();
    expect(screen.getByText('Erased')).toBeTruthy();
    const section = screen.getByRole('region', { name: 'Personal data' });
    expect(within(section).queryByRole('button', { name: 'Erase personal data…' })).toBeNull();
    expect(within(section).getByRole('button', { name: 'Download data (JSON)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit contact details' })).toBeNull();
  });

  it('cancels without erasing anything', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Kept', last_name: 'Safe' });
    await server.signIn('admin');
    const { user, card } = await openProfile(customer.id);
    await user.click(within(card).getByRole('button', { name: 'Erase personal data…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Erase personal data?' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Type ERASE to confirm' }), 'ERASE');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Erase personal data?' })).toBeNull());
    expect((await storedCustomer(customer.id)).erased_at).toBeNull();
  });

  it('is not offered to a manager', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Manny', last_name: 'Viewed' });
    await server.signIn('manager');
    await renderApp(`/customers/${customer.id}`);
    await screen.findByRole('region', { name: 'Communication preferences' }, { timeout: 30_000 });
    expect(screen.queryByRole('region', { name: 'Personal data' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Erase personal data/ })).toBeNull();
  });
});
