import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerList } from '../../../../shared/customers.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The new-customer form against a real server: client checks, the server's duplicate check, creation. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  await server.signIn('agent');
});
afterAll(() => server?.close());

async function customersNamed(q: string): Promise<CustomerList['data']> {
  const res = await server.request({ method: 'GET', url: `/api/crm/customers?q=${q}`, as: admin });
  return res.json<CustomerList>().data;
}

async function openForm() {
  const view = await renderApp('/customers/new');
  const form = await screen.findByRole('form', { name: 'New customer' });
  return { ...view, form };
}

describe('new customer form', () => {
  it('asks for at least a name, a company or an email', async () => {
    const { user, form } = await openForm();
    await user.click(within(form).getByRole('button', { name: 'Create customer' }));
    expect(await within(form).findByText('Give at least a name, a company or an email')).toBeTruthy();
    expect(currentUrl()).toBe('/customers/new');
  });

  it('checks a partly filled address and the email format before sending', async () => {
    const { user, form } = await openForm();
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), 'not-an-email');
    await user.type(within(form).getByRole('textbox', { name: 'Street' }), '1 High St');
    await user.click(within(form).getByRole('button', { name: 'Create customer' }));
    expect(await within(form).findByText('Enter a valid email address')).toBeTruthy();
    expect(within(form).getByText('City is required')).toBeTruthy();
    expect(within(form).getByText('Use a two-letter country code such as "US"')).toBeTruthy();
  });

  it('shows the duplicate-email answer on the email field', async () => {
    const existing = await makeCustomer(server, admin, { email: 'taken@example.test' });
    const { user, form } = await openForm();
    await user.type(within(form).getByRole('textbox', { name: 'First name' }), 'Second');
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), existing.emails[0]!.email);
    await user.click(within(form).getByRole('button', { name: 'Create customer' }));
    expect(await within(form).findByText('Another customer already has this email')).toBeTruthy();
    expect(currentUrl()).toBe('/customers/new');
    expect(await customersNamed('Second')).toEqual([]);
  });

  it('creates the customer and opens its profile', async () => {
    const { user, form } = await openForm();
    await user.type(within(form).getByRole('textbox', { name: 'First name' }), 'Katherine');
    await user.type(within(form).getByRole('textbox', { name: 'Last name' }), 'Johnson');
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), 'katherine@nasa.test');
    await user.type(within(form).getByRole('textbox', { name: 'Phone' }), '+1 757 555 0101');
    await user.type(within(form).getByRole('textbox', { name: 'Company' }), 'NASA');
    await user.click(within(form).getByRole('combobox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Active' }));
    await user.click(within(form).getByRole('combobox', { name: 'Lifecycle stage' }));
    await user.click(await screen.findByRole('option', { name: 'Customer' }));
    await user.click(within(form).getByRole('combobox', { name: 'Preferred contact' }));
    await user.click(await screen.findByRole('option', { name: 'Phone' }));
    await user.type(within(form).getByRole('textbox', { name: 'Acquisition source' }), 'referral');
    await user.type(within(form).getByRole('textbox', { name: 'Street' }), '1 NASA Dr');
    await user.type(within(form).getByRole('textbox', { name: 'City' }), 'Hampton');
    await user.type(within(form).getByRole('textbox', { name: 'Region' }), 'VA');
    await user.type(within(form).getByRole('textbox', { name: 'Postal code' }), '23666');
    await user.type(within(form).getByRole('textbox', { name: 'Country' }), 'us');
    await user.click(within(form).getByRole('button', { name: 'Create customer' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Katherine Johnson' })).toBeTruthy();
    expect(await findNotification('Customer created')).toBeTruthy();
    const [row] = await customersNamed('katherine');
    expect(currentUrl()).toBe(`/customers/${row!.id}`);
    const stored = (
      await server.request({ method: 'GET', url: `/api/crm/customers/${row!.id}`, as: admin })
    ).json<Customer>();
    expect(stored).toMatchObject({
      company: 'NASA',
      customer_status: 'active',
      lifecycle_stage: 'customer',
      preferred_contact_method: 'phone',
      acquisition_source: 'referral',
      emails: [{ email: 'katherine@nasa.test', is_primary: true }],
      phones: [{ phone: '+1 757 555 0101', is_primary: true }],
      addresses: [{ line1: '1 NASA Dr', city: 'Hampton', region: 'VA', postal_code: '23666', country: 'US' }],
    });
  });

  it('goes back to where it came from on Cancel', async () => {
    const { user } = await renderApp('/customers');
    await user.click(await within(screen.getByRole('main')).findByRole('link', { name: 'New customer' }));
    const form = await screen.findByRole('form', { name: 'New customer' });
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(currentUrl()).toBe('/customers'));
  });
});
