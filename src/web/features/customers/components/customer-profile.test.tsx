import { randomUUID } from 'node:crypto';
import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../../shared/customers.js';
import { makeCustomer, makeOrder } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** CustomerProfile against a real server: metrics, contact and profile edits, conflicts, orders, timeline. */
let server: WebTestServer;
let admin: StaffHandle;
let agent: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  agent = await server.signIn('agent');
});
afterAll(() => server?.close());

async function fetchCustomer(id: string): Promise<Customer> {
  const res = await server.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin });
  return res.json<Customer>();
}

async function newCustomer(body: Record<string, unknown> = {}) {
  return makeCustomer(server, admin, {
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: `ada-${randomUUID().slice(0, 8)}@analytical.test`,
    company: 'Analytical Engines',
    phone: '+44 20 1234 5678',
    addresses: [
      { line1: '12 St James Sq', city: 'London', postal_code: 'SW1Y', country: 'gb', is_primary: true },
    ],
    ...body,
  });
}

/** Another user's save, straight to the API, so the copy on screen goes stale. */
async function saveElsewhere(id: string, body: Record<string, unknown>) {
  const current = await fetchCustomer(id);
  const res = await server.request({
    method: 'PUT',
    url: `/api/crm/customers/${id}`,
    as: admin,
    payload: { version: current.version, ...body },
  });
  expect(res.statusCode).toBe(200);
}

async function openProfile(id: string) {
  const view = await renderApp(`/customers/${id}`);
  await screen.findByRole('heading', { level: 1 });
  return view;
}

const section = (name: string) => screen.getByRole('region', { name });

describe('CustomerProfile', () => {
  let shop: Customer;
  beforeAll(async () => {
    shop = await newCustomer({ first_name: 'Grace', last_name: 'Hopper', company: 'US Navy' });
    await makeOrder(server, admin, shop.id, {
      external_id: 'A-1001',
      placed_at: '2024-03-01T10:00:00Z',
      items: [
        { sku: 'BEAN-1', name: 'Espresso beans', category: 'coffee', quantity: 2, unit_price: 12.5 },
        { sku: 'MUG-1', name: 'Mug', quantity: 1, unit_price: 8 },
      ],
    });
    for (let i = 0; i < 18; i += 1) await makeOrder(server, admin, shop.id);
    await makeOrder(server, admin, shop.id, { status: 'pending' });
  });

  it('shows the header with the metrics the server computed', async () => {
    await openProfile(shop.id);
    expect(screen.getByRole('heading', { level: 1, name: 'Grace Hopper' })).toBeTruthy();
    const header = screen.getByRole('heading', { level: 1 }).closest('.mantine-Card-root') as HTMLElement;
    const metric = (label: string) => within(header).getByText(label).parentElement?.textContent;
    // The pending order does not count: 19 kept orders, $33 + 18 × $25.
    expect(metric('Lifetime value')).toBe('Lifetime value$483.00');
    expect(metric('Orders')).toBe('Orders19');
    expect(metric('Average order')).toBe('Average order$25.42');
    expect(within(header).getByText('Active')).toBeTruthy();
    // 19 orders, the last just now: loyal by the default lifecycle rules
    expect(within(header).getByText('Loyal')).toBeTruthy();
    expect(within(header).getByText('US Navy')).toBeTruthy();
    expect(within(header).getByText('Owner: unassigned')).toBeTruthy();

    const contact = section('Contact details');
    expect(within(contact).getByText(shop.emails[0]!.email)).toBeTruthy();
    expect(within(contact).getByText('+44 20 1234 5678')).toBeTruthy();
    expect(within(contact).getByText(/12 St James Sq/).textContent).toContain('SW1Y London · GB');
    expect(within(contact).getAllByText('Primary')).toHaveLength(3);
    const profile = section('Profile');
    expect(within(profile).getByText('Grace Hopper')).toBeTruthy();
    expect(within(profile).getByText('US Navy')).toBeTruthy();
  });

  it('pages through the order history and opens an order’s items', async () => {
    const { user } = await openProfile(shop.id);
    const orders = section('Order history');
    const table = await within(orders).findByRole('table', { name: 'Orders' });
    expect(within(table).getAllByRole('row')).toHaveLength(11);
    expect(within(table).queryByText('#A-1001')).toBeNull();
    await user.click(within(orders).getByRole('button', { name: 'Load more orders' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(21));
    expect(within(table).getByText('Pending')).toBeTruthy();

    await user.click(within(table).getByRole('button', { name: 'Show items of order #A-1001' }));
    const items = await within(orders).findByRole('table', { name: 'Items of order #A-1001' });
    expect(within(items).getByText('BEAN-1')).toBeTruthy();
    expect(within(items).getByText('Espresso beans')).toBeTruthy();
    expect(within(items).getByText('$25.00')).toBeTruthy();
    await user.click(within(table).getByRole('button', { name: 'Hide items of order #A-1001' }));
    await waitFor(() => expect(within(orders).queryByRole('table', { name: /Items of order/ })).toBeNull());
  });

  it('shows the timeline a page at a time, filtered by kind', async () => {
    const { user } = await openProfile(shop.id);
    const timeline = section('Timeline');
    await within(timeline).findByRole('button', { name: 'Load more activity' });
    const before = within(timeline).getAllByText(/ago|in a few seconds/).length;
    expect(before).toBe(20);
    const all = await server.request({
      method: 'GET',
      url: `/api/crm/customers/${shop.id}/timeline?limit=200`,
      as: admin,
    });
    const total = all.json<{ data: unknown[] }>().data.length;
    expect(total).toBeGreaterThan(20);
    await user.click(within(timeline).getByRole('button', { name: 'Load more activity' }));
    await waitFor(() => expect(within(timeline).getAllByText(/ago|in a few seconds/).length).toBe(total));

    await user.click(within(timeline).getByRole('combobox', { name: 'Show activity of kind' }));
    await user.click(await screen.findByRole('option', { name: 'Customer created' }));
    await waitFor(() => expect(within(timeline).getAllByText(/ago|in a few seconds/).length).toBe(1));
  });

  it('edits contact details and saves them to the server', async () => {
    const customer = await newCustomer();
    const { user } = await openProfile(customer.id);
    const contact = section('Contact details');
    await user.click(within(contact).getByRole('button', { name: 'Edit contact details' }));
    const form = within(contact).getByRole('form', { name: 'Contact details' });
    const email = within(form).getByRole('textbox', { name: 'Email 1' });
    await user.clear(email);
    await user.type(email, 'countess@lovelace.test');
    await user.click(within(form).getByRole('button', { name: 'Add email' }));
    await user.type(within(form).getByRole('textbox', { name: 'Email 2' }), 'ada@work.test');
    await user.click(within(form).getByRole('radio', { name: 'Email 2 is primary' }));
    await user.click(within(form).getByRole('button', { name: 'Add phone' }));
    await user.type(within(form).getByRole('textbox', { name: 'Phone 2' }), '+1 555 0100');
    await user.click(within(form).getByRole('radio', { name: 'Phone 2 is primary' }));
    await user.click(within(form).getByRole('button', { name: 'Remove address 1' }));
    expect(within(form).getByText('No addresses.')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Save contact details' }));

    expect(await findNotification('Customer saved')).toBeTruthy();
    await waitFor(() => expect(within(section('Contact details')).queryByRole('form')).toBeNull());
    expect(within(section('Contact details')).getByText('countess@lovelace.test')).toBeTruthy();
    const stored = await fetchCustomer(customer.id);
    expect(new Map(stored.emails.map((e) => [e.email, e.is_primary]))).toEqual(
      new Map([
        ['countess@lovelace.test', false],
        ['ada@work.test', true],
      ]),
    );
    expect(new Map(stored.phones.map((p) => [p.phone, p.is_primary]))).toEqual(
      new Map([
        ['+44 20 1234 5678', false],
        ['+1 555 0100', true],
      ]),
    );
    expect(stored.addresses).toEqual([]);
  });

  it('adds an address and removes contacts while editing', async () => {
    const customer = await newCustomer({ addresses: [] });
    const { user } = await openProfile(customer.id);
    const contact = section('Contact details');
    await user.click(within(contact).getByRole('button', { name: 'Edit contact details' }));
    const form = within(contact).getByRole('form', { name: 'Contact details' });
    await user.click(within(form).getByRole('button', { name: 'Remove phone 1' }));
    expect(within(form).getByText('No phone numbers.')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Add address' }));
    await user.type(within(form).getByRole('textbox', { name: 'Street' }), '1 Infinite Loop');
    await user.type(within(form).getByRole('textbox', { name: 'City' }), 'Cupertino');
    await user.type(within(form).getByRole('textbox', { name: 'Region' }), 'CA');
    await user.type(within(form).getByRole('textbox', { name: 'Country' }), 'us');
    await user.click(within(form).getByRole('button', { name: 'Add address' }));
    await user.type(within(form).getAllByRole('textbox', { name: 'Street' })[1]!, 'PO Box 1');
    await user.type(within(form).getAllByRole('textbox', { name: 'City' })[1]!, 'Austin');
    await user.type(within(form).getAllByRole('textbox', { name: 'Country' })[1]!, 'US');
    await user.click(within(form).getByRole('radio', { name: 'Address 2 is primary' }));
    await user.click(within(form).getByRole('button', { name: 'Save contact details' }));
    expect(await findNotification('Customer saved')).toBeTruthy();
    const stored = await fetchCustomer(customer.id);
    expect(stored.phones).toEqual([]);
    const addresses = stored.addresses.map((a) => [a.line1, a.city, a.region, a.country, a.is_primary]);
    expect(addresses.sort()).toEqual([
      ['1 Infinite Loop', 'Cupertino', 'CA', 'US', false],
      ['PO Box 1', 'Austin', null, 'US', true],
    ]);
  });

  it('explains invalid contact details and sends nothing', async () => {
    const customer = await newCustomer();
    const { user } = await openProfile(customer.id);
    const contact = section('Contact details');
    await user.click(within(contact).getByRole('button', { name: 'Edit contact details' }));
    const form = within(contact).getByRole('form', { name: 'Contact details' });
    const email = within(form).getByRole('textbox', { name: 'Email 1' });
    await user.clear(email);
    await user.type(email, 'not-an-email');
    await user.clear(within(form).getByRole('textbox', { name: 'City' }));
    await user.click(within(form).getByRole('button', { name: 'Save contact details' }));
    expect(await within(form).findByText('Enter a valid email address')).toBeTruthy();
    expect(within(form).getByText('City is required')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(within(section('Contact details')).getByText(customer.emails[0]!.email)).toBeTruthy();
    expect((await fetchCustomer(customer.id)).version).toBe(customer.version);
  });

  it('shows the server’s answer on the field when another customer has the email', async () => {
    const other = await newCustomer();
    const customer = await newCustomer();
    const { user } = await openProfile(customer.id);
    const contact = section('Contact details');
    await user.click(within(contact).getByRole('button', { name: 'Edit contact details' }));
    const form = within(contact).getByRole('form', { name: 'Contact details' });
    const email = within(form).getByRole('textbox', { name: 'Email 1' });
    await user.clear(email);
    await user.type(email, other.emails[0]!.email);
    await user.click(within(form).getByRole('button', { name: 'Save contact details' }));
    expect(await findNotification('Could not save')).toBeTruthy();
    expect(await within(form).findByText('Another customer already has this email')).toBeTruthy();
    expect((await fetchCustomer(customer.id)).emails[0]!.email).toBe(customer.emails[0]!.email);
  });

  it('edits the profile fields and saves them to the server', async () => {
    const customer = await newCustomer();
    const { user } = await openProfile(customer.id);
    const profile = section('Profile');
    await user.click(within(profile).getByRole('button', { name: 'Edit profile' }));
    const form = within(profile).getByRole('form', { name: 'Profile' });
    await user.clear(within(form).getByRole('textbox', { name: 'First name' }));
    await user.type(within(form).getByRole('textbox', { name: 'First name' }), 'Augusta Ada');
    await user.clear(within(form).getByRole('textbox', { name: 'Company' }));
    await user.type(within(form).getByRole('textbox', { name: 'Acquisition source' }), 'referral');
    await user.click(within(form).getByRole('combobox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Inactive' }));
    await user.click(within(form).getByRole('combobox', { name: 'Lifecycle stage' }));
    await user.click(await screen.findByRole('option', { name: 'Loyal' }));
    await user.click(within(form).getByRole('combobox', { name: 'Preferred contact' }));
    await user.click(await screen.findByRole('option', { name: 'Sms' }));
    await user.click(within(form).getByRole('combobox', { name: 'Owner' }));
    await user.click(await screen.findByRole('option', { name: /\(me\)$/ }));
    await user.click(within(form).getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Augusta Ada Lovelace' })).toBeTruthy();
    expect(within(section('Profile')).getByText('Referral')).toBeTruthy();
    const stored = await fetchCustomer(customer.id);
    expect(stored).toMatchObject({
      first_name: 'Augusta Ada',
      company: null,
      customer_status: 'inactive',
      lifecycle_stage: 'loyal',
      preferred_contact_method: 'sms',
      acquisition_source: 'referral',
      owner: { id: agent.id },
    });
    const timeline = section('Timeline');
    expect(await within(timeline).findByText(/^Updated first name/)).toBeTruthy();
    // what changed, from what to what; the owner (ids only) is left to the summary
    const changes = within(timeline).getByRole('list', { name: 'Changes' });
    expect(within(changes).getByText('Augusta Ada')).toBeTruthy();
    expect(within(changes).getByText('First name:')).toBeTruthy();
    expect(within(changes).queryByText(/Owner id/)).toBeNull();
  });

  it('on a conflict, overwrites the other change when asked', async () => {
    const customer = await newCustomer();
    const { user } = await openProfile(customer.id);
    const profile = section('Profile');
    await user.click(within(profile).getByRole('button', { name: 'Edit profile' }));
    const form = within(profile).getByRole('form', { name: 'Profile' });
    await user.clear(within(form).getByRole('textbox', { name: 'Last name' }));
    await user.type(within(form).getByRole('textbox', { name: 'Last name' }), 'King');
    await saveElsewhere(customer.id, { last_name: 'Byron', company: 'Somewhere else' });
    await user.click(within(form).getByRole('button', { name: 'Save profile' }));

    const dialog = await screen.findByRole('dialog', { name: 'This customer was changed by someone else' });
    expect(within(dialog).getByText(/Another change was saved on/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Overwrite' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada King' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const stored = await fetchCustomer(customer.id);
    expect(stored.last_name).toBe('King');
    expect(stored.company).toBe('Analytical Engines');
    expect(stored.version).toBe(customer.version + 2);
  });

  it('on a conflict, reloads the other change and drops mine when asked', async () => {
    const customer = await newCustomer();
    const { user } = await openProfile(customer.id);
    const contact = section('Contact details');
    await user.click(within(contact).getByRole('button', { name: 'Edit contact details' }));
    const form = within(contact).getByRole('form', { name: 'Contact details' });
    await user.clear(within(form).getByRole('textbox', { name: 'Phone 1' }));
    await user.type(within(form).getByRole('textbox', { name: 'Phone 1' }), '+1 555 0199');
    await saveElsewhere(customer.id, { phones: [{ phone: '+49 30 123456', is_primary: true }] });
    await user.click(within(form).getByRole('button', { name: 'Save contact details' }));

    const dialog = await screen.findByRole('dialog', { name: 'This customer was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    expect(await findNotification('Showing the latest version')).toBeTruthy();
    expect(await within(section('Contact details')).findByText('+49 30 123456')).toBeTruthy();
    expect(within(section('Contact details')).queryByRole('form')).toBeNull();
    expect((await fetchCustomer(customer.id)).phones.map((p) => p.phone)).toEqual(['+49 30 123456']);
  });
});

describe('CustomerProfile for other users and sparse customers', () => {
  afterEach(async () => {
    await server.signIn('agent');
  });

  it('offers no edits to a viewer, and shows orders in their own currency', async () => {
    const customer = await newCustomer();
    await makeOrder(server, admin, customer.id, {
      currency: 'EUR',
      items: [{ sku: 'EU-1', name: 'Moka pot', quantity: 1, unit_price: 30 }],
    });
    await server.signIn('viewer');
    await openProfile(customer.id);
    expect(await within(section('Order history')).findByText('€30.00')).toBeTruthy();
    expect(
      within(section('Contact details')).queryByRole('button', { name: 'Edit contact details' }),
    ).toBeNull();
    expect(within(section('Profile')).queryByRole('button', { name: 'Edit profile' })).toBeNull();
  });

  it('says when the customer does not exist', async () => {
    const { user } = await renderApp(`/customers/${randomUUID()}`);
    expect(await screen.findByText('Customer not found')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    await user.click(within(screen.getByRole('main')).getByRole('link', { name: 'Customers' }));
    expect(await screen.findByRole('heading', { name: 'Customers' })).toBeTruthy();
  });

  it('shows a customer with no contact details and no orders', async () => {
    const customer = await makeCustomer(server, admin, {
      first_name: null,
      last_name: null,
      email: undefined,
      company: 'Acme',
    });
    await openProfile(customer.id);
    expect(screen.getByRole('heading', { level: 1, name: 'Acme' })).toBeTruthy();
    expect(within(section('Contact details')).getByText('No contact details yet.')).toBeTruthy();
    expect(await within(section('Order history')).findByText('No orders yet.')).toBeTruthy();
  });
});

describe('a lifecycle stage set by hand', () => {
  it('says so in the header and hands the stage back to the rules', async () => {
    const pinned = await newCustomer({ first_name: 'Pinned', lifecycle_stage: 'loyal' });
    expect(pinned.lifecycle_stage_manual).toBe(true);
    const { user } = await openProfile(pinned.id);
    expect(screen.getByLabelText('Stage set by hand')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Use rules' }));
    await waitFor(() => expect(screen.queryByLabelText('Stage set by hand')).toBeNull());
    // no orders: the rules say lead
    expect(await fetchCustomer(pinned.id)).toMatchObject({
      lifecycle_stage: 'lead',
      lifecycle_stage_manual: false,
    });
  });
});
