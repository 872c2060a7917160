import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunicationPreferencesResponse } from '../../../../shared/communications.js';
import type { Customer } from '../../../../shared/customers.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { renderApp, startWebTestServer, type WebTestServer } from '../../../test/harness.js';

/** The communication preferences card on CustomerProfile, against a real server. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function storedPreferences(customer: Customer) {
  const res = await server.request({
    method: 'GET',
    url: `/api/crm/customers/${customer.id}/communication-preferences`,
    as: admin,
  });
  expect(res.statusCode).toBe(200);
  return res.json<CommunicationPreferencesResponse>();
}

async function changeElsewhere(customer: Customer, body: Record<string, unknown>) {
  const { version } = await storedPreferences(customer);
  const res = await server.request({
    method: 'PUT',
    url: `/api/crm/customers/${customer.id}/communication-preferences`,
    as: admin,
    payload: { ...body, version },
  });
  expect(res.statusCode).toBe(200);
}

async function openCard(id: string) {
  const view = await renderApp(`/customers/${id}`);
  // the first render in a file loads the profile's code: give it longer on a busy machine
  await screen.findByRole('heading', { level: 1 }, { timeout: 30_000 });
  const card = await screen.findByRole('region', { name: 'Communication preferences' });
  await within(card).findByRole('switch', { name: 'Email marketing' });
  return { ...view, card };
}

const switchIn = (card: HTMLElement, name: string) =>
  within(card).getByRole('switch', { name }) as HTMLInputElement;

describe('communication preferences on the profile', () => {
  it('saves a switch at once, and the history says what changed and who changed it', async () => {
    const customer = await makeCustomer(server, admin);
    const agent = await server.signIn('agent');
    await server.request({
      method: 'PATCH',
      url: `/api/users/${agent.id}`,
      as: admin,
      payload: { name: 'Maria Lopez' },
    });
    const { user, card } = await openCard(customer.id);
    // unset means allowed
    expect(switchIn(card, 'Email marketing').checked).toBe(true);
    expect(switchIn(card, 'SMS transactional').checked).toBe(true);
    expect(switchIn(card, 'Do not contact').checked).toBe(false);
    expect(switchIn(card, 'Track opens and clicks').checked).toBe(true);
    expect(within(card).getByText(/No changes yet/)).toBeTruthy();

    await user.click(switchIn(card, 'Email marketing'));
    await waitFor(async () =>
      expect((await storedPreferences(customer)).preferences.email.marketing).toBe(false),
    );
    await waitFor(() => expect(switchIn(card, 'Email marketing').checked).toBe(false));
    // a second change saves with the new version (no conflict)
    await waitFor(() => expect(switchIn(card, 'Track opens and clicks').disabled).toBe(false));
    await user.click(switchIn(card, 'Track opens and clicks'));
    await waitFor(async () => expect((await storedPreferences(customer)).preferences.tracking).toBe(false));

    await user.click(await within(card).findByRole('button', { name: 'History (2)' }));
    const history = await within(card).findByRole('list', { name: 'Preference history' });
    expect(
      within(history).getByText(/^Email marketing turned off · by Maria Lopez · \d+ \w+ \d{4}$/),
    ).toBeTruthy();
    expect(
      within(history).getByText(/^Tracking of opens and clicks turned off · by Maria Lopez/),
    ).toBeTruthy();
    // the rest stayed as it was
    const stored = await storedPreferences(customer);
    expect(stored.preferences.email.transactional).toBe(true);
    expect(stored.preferences.do_not_contact).toBe(false);
  });

  it('a stale switch opens the conflict dialog; Overwrite saves on top of the other change', async () => {
    const customer = await makeCustomer(server, admin);
    await server.signIn('agent');
    const { user, card } = await openCard(customer.id);
    await changeElsewhere(customer, { sms: { marketing: false } });
    await user.click(switchIn(card, 'Do not contact'));
    const dialog = await screen.findByRole('dialog', { name: 'This customer was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Overwrite' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const stored = await storedPreferences(customer);
    // mine and theirs both stand
    expect(stored.preferences.do_not_contact).toBe(true);
    expect(stored.preferences.sms.marketing).toBe(false);
    await waitFor(() => expect(switchIn(card, 'Do not contact').checked).toBe(true));
    expect(switchIn(card, 'SMS marketing').checked).toBe(false);
  });

  it('a stale switch then Reload shows the stored state and changes nothing', async () => {
    const customer = await makeCustomer(server, admin);
    await server.signIn('agent');
    const { user, card } = await openCard(customer.id);
    await changeElsewhere(customer, { phone: { transactional: false } });
    await user.click(switchIn(card, 'Email transactional'));
    const dialog = await screen.findByRole('dialog', { name: 'This customer was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(switchIn(card, 'Phone transactional').checked).toBe(false));
    expect(switchIn(card, 'Email transactional').checked).toBe(true);
    expect((await storedPreferences(customer)).preferences.email.transactional).toBe(true);
  });

  it('after the contact details are saved on the profile, a switch saves without a conflict', async () => {
    const customer = await makeCustomer(server, admin);
    await server.signIn('agent');
    const { user, card } = await openCard(customer.id);
    const contact = screen.getByRole('region', { name: 'Contact details' });
    await user.click(within(contact).getByRole('button', { name: 'Edit contact details' }));
    const form = within(contact).getByRole('form', { name: 'Contact details' });
    const email = within(form).getByRole('textbox', { name: 'Email 1' });
    await user.clear(email);
    await user.type(email, `moved-${Date.now()}@example.com`);
    await user.click(within(form).getByRole('button', { name: 'Save contact details' }));
    await waitFor(() => expect(within(contact).queryByRole('form', { name: 'Contact details' })).toBeNull());
    // the customer's version moved on; the card follows it
    await waitFor(() => expect(switchIn(card, 'Phone marketing').disabled).toBe(false));
    await user.click(switchIn(card, 'Phone marketing'));
    await waitFor(async () =>
      expect((await storedPreferences(customer)).preferences.phone.marketing).toBe(false),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('records a refusal of data sharing, and says so in the history', async () => {
    const customer = await makeCustomer(server, admin);
    await server.signIn('agent');
    const { user, card } = await openCard(customer.id);
    expect(switchIn(card, 'Data sharing consent').checked).toBe(true);
    await user.click(switchIn(card, 'Data sharing consent'));
    await waitFor(async () =>
      expect((await storedPreferences(customer)).preferences.data_sharing).toBe(false),
    );
    await waitFor(() => expect(switchIn(card, 'Data sharing consent').checked).toBe(false));
    await user.click(await within(card).findByRole('button', { name: 'History (1)' }));
    expect(await within(card).findByText(/^Data sharing consent turned off · by /)).toBeTruthy();
  });

  it('is read-only for a viewer, who still sees the settings and the history', async () => {
    const customer = await makeCustomer(server, admin);
    await changeElsewhere(customer, { email: { marketing: false } });
    await server.signIn('viewer');
    const { user, card } = await openCard(customer.id);
    expect(switchIn(card, 'Email marketing').checked).toBe(false);
    for (const name of [
      'Email marketing',
      'Phone transactional',
      'Do not contact',
      'Track opens and clicks',
    ]) {
      expect(switchIn(card, name).disabled).toBe(true);
    }
    expect(within(card).getByText('You can see these settings but not change them.')).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: 'History (1)' }));
    expect(await within(card).findByText(/^Email marketing turned off · by /)).toBeTruthy();
  });
});
