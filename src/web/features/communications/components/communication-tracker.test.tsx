import { randomBytes, randomUUID } from 'node:crypto';
import { screen, waitFor, within } from '@testing-library/react';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailTemplate, ThreadList } from '../../../../shared/communications.js';
import type { Customer } from '../../../../shared/customers.js';
import type { EmailsTable } from '../../../../server/db/schema.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** CommunicationTracker on CustomerProfile against a real server (no SMTP: the outbox). */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

/** Mail as the sending and inbound code store it, for what this screen shows of it. */
async function insertEmail(customerId: string, values: Partial<Insertable<EmailsTable>> = {}) {
  const id = randomUUID();
  return server.database.db
    .insertInto('emails')
    .values({
      id,
      customer_id: customerId,
      thread_id: id,
      direction: 'outbound',
      email_address: 'ada@example.com',
      from_address: 'crm@shop.test',
      subject: 'Hello',
      body_text: 'Hello there',
      message_id: `${id}@crm.test`,
      status: 'sent',
      tracking_token: randomBytes(24).toString('base64url'),
      sent_at: values.created_at ?? new Date(),
      ...values,
    })
    .returning(['id', 'thread_id'])
    .executeTakeFirstOrThrow();
}

async function threadsOf(customer: Customer) {
  const res = await server.request({
    method: 'GET',
    url: `/api/crm/communications/${customer.id}`,
    as: admin,
  });
  expect(res.statusCode).toBe(200);
  return res.json<ThreadList>().data;
}

async function openTracker(id: string) {
  const view = await renderApp(`/customers/${id}`);
  // the first render in a file loads the profile's code: give it longer on a busy machine
  await screen.findByRole('heading', { level: 1 }, { timeout: 30_000 });
  const card = await screen.findByRole('region', { name: 'Email' });
  return { ...view, card };
}

describe('email on the profile', () => {
  it('shows threads newest first with status, opens and clicks (machines apart), warnings and sandboxed HTML', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Ada' });
    const order = await insertEmail(customer.id, {
      subject: 'Your order has shipped',
      status: 'clicked',
      body_text: 'Your parcel is on its way.',
      body_html: '<p>Your parcel is <b>on its way</b>.</p><img src="https://tracker.test/p.gif">',
      created_at: hoursAgo(3),
      opened_at: hoursAgo(2.5),
      clicked_at: hoursAgo(2.4),
      open_count: 2,
      click_count: 1,
      machine_open_count: 3,
    });
    await insertEmail(customer.id, {
      thread_id: order.thread_id,
      direction: 'inbound',
      status: 'received',
      subject: 'Re: Your order has shipped',
      from_address: 'ada@example.com',
      body_text: 'Thanks! When will it arrive?',
      tracking: false,
      created_at: hoursAgo(2),
    });
    await insertEmail(customer.id, {
      subject: 'Spring sale',
      category: 'marketing',
      status: 'bounced',
      bounced_at: hoursAgo(1),
      created_at: hoursAgo(1.1),
    });
    await server.database.db
      .insertInto('email_events')
      .values([
        { email_id: order.id, kind: 'opened', source: 'pixel', occurred_at: hoursAgo(2.6), machine: true },
        { email_id: order.id, kind: 'opened', source: 'pixel', occurred_at: hoursAgo(2.5) },
      ])
      .execute();

    await server.signIn('agent');
    const { user, card } = await openTracker(customer.id);
    const threads = await within(card).findAllByRole('button', {
      name: /Spring sale|Your order has shipped/,
    });
    // newest thread first: the sale (1 h ago) before the order's thread (answered 2 h ago)
    expect(threads.map((b) => b.textContent)).toEqual([
      expect.stringContaining('Spring sale'),
      expect.stringContaining('Your order has shipped'),
    ]);
    expect(threads[0]?.textContent).toContain('Bounced');
    expect(threads[1]?.textContent).toContain('2 messages');
    // the latest message of the thread is their answer
    expect(threads[1]?.textContent).toContain('Received');

    await user.click(threads[1] as HTMLElement);
    const sent = await within(card).findByRole('article', { name: 'Sent email: Your order has shipped' });
    expect(within(sent).getByText('Clicked')).toBeTruthy();
    expect(within(sent).getByText('2 opens, 1 click')).toBeTruthy();
    expect(within(sent).getByText('+3 by machines')).toBeTruthy();
    // text first; the HTML on request, sandboxed and blocking what it would load
    expect(within(sent).getByText('Your parcel is on its way.')).toBeTruthy();
    await user.click(within(sent).getByRole('button', { name: 'Show HTML' }));
    const frame = within(sent).getByTitle('Email: Your order has shipped') as HTMLIFrameElement;
    expect(frame.tagName).toBe('IFRAME');
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toContain('<b>on its way</b>');
    expect(frame.getAttribute('srcdoc')).toMatch(/Content-Security-Policy.*default-src 'none'/);
    await user.click(within(sent).getByRole('button', { name: 'Events (2)' }));
    expect(within(sent).getByText(/^Opened · .* · by a machine/)).toBeTruthy();

    const received = within(card).getByRole('article', {
      name: 'Received email: Re: Your order has shipped',
    });
    expect(within(received).getByText('Thanks! When will it arrive?')).toBeTruthy();
    expect(within(received).getByRole('button', { name: 'Reply' })).toBeTruthy();
    // our own mail is not answered from here
    expect(within(sent).queryByRole('button', { name: 'Reply' })).toBeNull();

    await user.click(threads[0] as HTMLElement);
    const sale = await within(card).findByRole('article', { name: 'Sent email: Spring sale' });
    expect(within(sale).getByText(/The address did not accept this email/)).toBeTruthy();
  });

  it('writes and sends an email: outbox notice, preview, notification, and the thread appears', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Grace' });
    await server.signIn('agent');
    const { user, card } = await openTracker(customer.id);
    expect(await within(card).findByText('No emails with this customer yet')).toBeTruthy();
    expect(
      await within(card).findByText(
        /No SMTP server is configured: messages are written to the outbox folder/,
      ),
    ).toBeTruthy();

    await user.click(within(card).getByRole('button', { name: 'New email' }));
    const dialog = await screen.findByRole('dialog', { name: 'New email' });
    // nothing written: refused before it is sent
    await user.click(within(dialog).getByRole('button', { name: 'Send' }));
    expect(await within(dialog).findByText('Subject is required')).toBeTruthy();
    expect(within(dialog).getByText('Write a message')).toBeTruthy();

    await user.type(within(dialog).getByRole('textbox', { name: 'Subject' }), 'Your refund');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Message' }),
      'Hi Grace, the refund is **done**.',
    );
    await user.click(within(dialog).getByRole('tab', { name: 'Preview' }));
    const preview = within(dialog).getByRole('region', { name: 'Preview' });
    expect(within(preview).getByText('done').tagName).toBe('STRONG');
    await user.click(within(dialog).getByRole('button', { name: 'Send' }));
    expect(await findNotification('Written to the outbox')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New email' })).toBeNull());

    const row = await within(card).findByRole('button', { name: /^Your refund/ });
    expect(within(row).getByText('Queued')).toBeTruthy();
    // its delivery job writes it to the outbox; the list looks again while mail is queued
    await server.app.workers.runner.runDue();
    await waitFor(() => expect(within(row).getByText('Outbox')).toBeTruthy(), { timeout: 15_000 });
    const [thread] = await threadsOf(customer);
    expect(thread?.messages[0]).toMatchObject({
      subject: 'Your refund',
      body_text: 'Hi Grace, the refund is **done**.',
      category: 'transactional',
      direction: 'outbound',
      status: 'outbox',
      transport: 'outbox',
    });
  });

  it('says why nothing was sent to a customer who asked not to be contacted', async () => {
    const customer = await makeCustomer(server, admin);
    const prefs = await server.request({
      method: 'GET',
      url: `/api/crm/customers/${customer.id}/communication-preferences`,
      as: admin,
    });
    const put = await server.request({
      method: 'PUT',
      url: `/api/crm/customers/${customer.id}/communication-preferences`,
      as: admin,
      payload: { do_not_contact: true, version: prefs.json<{ version: number }>().version },
    });
    expect(put.statusCode).toBe(200);
    await server.signIn('agent');
    const { user, card } = await openTracker(customer.id);
    await user.click(await within(card).findByRole('button', { name: 'New email' }));
    const dialog = await screen.findByRole('dialog', { name: 'New email' });
    // said before sending, from the preferences on the profile
    expect(
      await within(dialog).findByText('This customer asked not to be contacted: the email will not be sent.'),
    ).toBeTruthy();
    await user.type(within(dialog).getByRole('textbox', { name: 'Subject' }), 'Checking in');
    await user.type(within(dialog).getByRole('textbox', { name: 'Message' }), 'How are you?');
    await user.click(within(dialog).getByRole('button', { name: 'Send' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('This customer asked not to be contacted');
    // the dialog stays open with the text, and nothing was stored
    expect((within(dialog).getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe(
      'How are you?',
    );
    expect(await threadsOf(customer)).toEqual([]);
  });

  it('says a customer without an address has none', async () => {
    await server.signIn('agent');
    const noAddress = await makeCustomer(server, admin, { email: undefined });
    const second = await openTracker(noAddress.id);
    await second.user.click(await within(second.card).findByRole('button', { name: 'New email' }));
    const again = await screen.findByRole('dialog', { name: 'New email' });
    await second.user.type(within(again).getByRole('textbox', { name: 'Subject' }), 'Hello');
    await second.user.type(within(again).getByRole('textbox', { name: 'Message' }), 'Hi');
    await second.user.click(within(again).getByRole('button', { name: 'Send' }));
    expect((await within(again).findByRole('alert')).textContent).toContain('has no email address');
  });

  it('sends a template, previewed with the customer’s own data', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Katherine' });
    const created = await server.request({
      method: 'POST',
      url: '/api/crm/email-templates',
      as: admin,
      payload: {
        name: `Welcome ${randomUUID().slice(0, 6)}`,
        category: 'transactional',
        subject: 'Welcome, {{first_name}}',
        body_html: '<h1>Hello {{first_name}}</h1><p>Glad you are here.</p>',
        body_text: 'Hello {{first_name}}. Glad you are here.',
      },
    });
    expect(created.statusCode).toBe(201);
    const template = created.json<EmailTemplate>();

    await server.signIn('agent');
    const { user, card } = await openTracker(customer.id);
    await user.click(await within(card).findByRole('button', { name: 'New email' }));
    const dialog = await screen.findByRole('dialog', { name: 'New email' });
    await user.click(within(dialog).getByRole('radio', { name: 'Template' }));
    await user.click(await within(dialog).findByRole('combobox', { name: 'Template' }));
    await user.click(await screen.findByRole('option', { name: template.name }));
    const preview = await within(dialog).findByRole('region', { name: 'Template preview' });
    expect(await within(preview).findByText('Welcome, Katherine')).toBeTruthy();
    const frame = within(preview).getByTitle('Preview: Welcome, Katherine');
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toContain('<h1>Hello Katherine</h1>');

    await user.click(within(dialog).getByRole('button', { name: 'Send' }));
    expect(await findNotification('Written to the outbox')).toBeTruthy();
    const thread = await within(card).findByRole('button', { name: /^Welcome, Katherine/ });
    await user.click(thread);
    const message = await within(card).findByRole('article', { name: 'Sent email: Welcome, Katherine' });
    expect(within(message).getByText(new RegExp(`template ${template.name} v1`))).toBeTruthy();
  });

  it('shows the server’s message on its field: a template deleted while the email was being written', async () => {
    const customer = await makeCustomer(server, admin);
    const created = await server.request({
      method: 'POST',
      url: '/api/crm/email-templates',
      as: admin,
      payload: {
        name: `Short-lived ${randomUUID().slice(0, 6)}`,
        subject: 'Hi {{first_name}}',
        body_html: '<p>Hi</p>',
        body_text: 'Hi',
      },
    });
    const template = created.json<EmailTemplate>();
    await server.signIn('agent');
    const { user, card } = await openTracker(customer.id);
    await user.click(await within(card).findByRole('button', { name: 'New email' }));
    const dialog = await screen.findByRole('dialog', { name: 'New email' });
    await user.click(within(dialog).getByRole('radio', { name: 'Template' }));
    await user.click(await within(dialog).findByRole('combobox', { name: 'Template' }));
    await user.click(await screen.findByRole('option', { name: template.name }));
    await within(dialog).findByRole('region', { name: 'Template preview' });
    const gone = await server.request({
      method: 'DELETE',
      url: `/api/crm/email-templates/${template.id}`,
      as: admin,
    });
    expect(gone.statusCode).toBeLessThan(300);
    await user.click(within(dialog).getByRole('button', { name: 'Send' }));
    const field = within(dialog).getByRole('combobox', { name: 'Template' });
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(within(dialog).getByText(/No email template has this id|This template is archived/)).toBeTruthy();
    expect(await threadsOf(customer)).toEqual([]);
  });

  it('replies to the customer’s email in its thread', async () => {
    const customer = await makeCustomer(server, admin);
    const first = await insertEmail(customer.id, { subject: 'Order question', created_at: hoursAgo(4) });
    const theirs = await insertEmail(customer.id, {
      thread_id: first.thread_id,
      direction: 'inbound',
      status: 'received',
      subject: 'Re: Order question',
      body_text: 'Can I change the size?',
      tracking: false,
      created_at: hoursAgo(3),
    });
    await server.signIn('agent');
    const { user, card } = await openTracker(customer.id);
    await user.click(await within(card).findByRole('button', { name: /^Order question/ }));
    const received = await within(card).findByRole('article', { name: 'Received email: Re: Order question' });
    await user.click(within(received).getByRole('button', { name: 'Reply' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reply' });
    // already "Re:": not "Re: Re:"
    expect((within(dialog).getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe(
      'Re: Order question',
    );
    await user.type(within(dialog).getByRole('textbox', { name: 'Message' }), 'Yes, which size?');
    await user.click(within(dialog).getByRole('button', { name: 'Send' }));
    expect(await findNotification('Written to the outbox')).toBeTruthy();
    await waitFor(async () => {
      const [thread, ...others] = await threadsOf(customer);
      expect(others).toEqual([]);
      expect(thread?.message_count).toBe(3);
      expect(thread?.messages.at(-1)?.body_text).toBe('Yes, which size?');
    });
    expect(theirs.thread_id).toBe(first.thread_id);
  });

  it('shows a viewer the threads but no New email or Reply', async () => {
    const customer = await makeCustomer(server, admin);
    const first = await insertEmail(customer.id, { subject: 'Invoice', created_at: hoursAgo(2) });
    await insertEmail(customer.id, {
      thread_id: first.thread_id,
      direction: 'inbound',
      status: 'received',
      subject: 'Re: Invoice',
      tracking: false,
      created_at: hoursAgo(1),
    });
    await server.signIn('viewer');
    const { user, card } = await openTracker(customer.id);
    await user.click(await within(card).findByRole('button', { name: /^Invoice/ }));
    expect(await within(card).findByRole('article', { name: 'Received email: Re: Invoice' })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'New email' })).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Reply' })).toBeNull();
  });
});
