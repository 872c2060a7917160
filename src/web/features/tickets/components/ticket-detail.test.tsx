import { randomUUID } from 'node:crypto';
import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketDetail } from '../../../../shared/tickets.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The ticket page against a real server: saved-on-change fields, version conflicts, the conversation. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function seedTicket(body: Record<string, unknown> = {}): Promise<TicketDetail> {
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/tickets',
    as: admin,
    payload: { subject: 'Parcel never arrived', description: 'Ordered **two weeks** ago.', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TicketDetail>();
}

async function stored(id: string): Promise<TicketDetail> {
  const res = await server.request({ method: 'GET', url: `/api/crm/tickets/${id}`, as: admin });
  return res.json<TicketDetail>();
}

async function openTicket(id: string) {
  const view = await renderApp(`/tickets/${id}`);
  const details = await screen.findByRole('region', { name: 'Ticket details' });
  return { ...view, details };
}

async function pick(user: Awaited<ReturnType<typeof renderApp>>['user'], field: HTMLElement, option: string) {
  await user.click(field);
  await user.click(await screen.findByRole('option', { name: option }));
}

describe('ticket page', () => {
  it('shows the ticket and saves a new status at once', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Linus', last_name: 'Pauling' });
    const ticket = await seedTicket({ customer_id: customer.id });
    await server.signIn('agent');
    const { user, details } = await openTicket(ticket.id);
    expect(screen.getByRole('heading', { name: 'Parcel never arrived' })).toBeTruthy();
    expect(screen.getByText(`Ticket #${ticket.number}`, { exact: false })).toBeTruthy();
    expect(within(details).getByRole('link', { name: 'Linus Pauling' }).getAttribute('href')).toBe(
      `/customers/${customer.id}`,
    );
    expect(screen.getByText('two weeks').tagName).toBe('STRONG');

    await pick(user, within(details).getByRole('combobox', { name: 'Status' }), 'Resolved');
    expect(await findNotification(`Ticket #${ticket.number} saved`)).toBeTruthy();
    const saved = await stored(ticket.id);
    expect(saved.status).toBe('resolved');
    expect(saved.resolved_at).not.toBeNull();
    expect(saved.version).toBe(ticket.version + 1);
  });

  it('edits the subject in place', async () => {
    const ticket = await seedTicket();
    await server.signIn('agent');
    const { user } = await openTicket(ticket.id);
    await user.click(screen.getByRole('button', { name: 'Edit subject' }));
    const input = screen.getByRole('textbox', { name: 'Subject' });
    await user.clear(input);
    await user.type(input, 'Parcel lost in transit{Enter}');
    expect(await screen.findByRole('heading', { name: 'Parcel lost in transit' })).toBeTruthy();
    expect((await stored(ticket.id)).subject).toBe('Parcel lost in transit');
  });

  it('on a conflicting edit offers to overwrite, and the overwrite wins', async () => {
    const ticket = await seedTicket({ priority: 'normal' });
    await server.signIn('agent');
    const { user, details } = await openTicket(ticket.id);
    // someone else changes the ticket after the page loaded
    const theirs = await server.request({
      method: 'PUT',
      url: `/api/crm/tickets/${ticket.id}`,
      as: admin,
      payload: { priority: 'low', status: 'pending', version: ticket.version },
    });
    expect(theirs.statusCode).toBe(200);

    await pick(user, within(details).getByRole('combobox', { name: 'Priority' }), 'Urgent');
    const dialog = await screen.findByRole('dialog', { name: 'This ticket was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Overwrite' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const saved = await stored(ticket.id);
    expect(saved.priority).toBe('urgent');
    // only my change was resent: their status stays
    expect(saved.status).toBe('pending');
    await waitFor(() =>
      expect((within(details).getByRole('combobox', { name: 'Status' }) as HTMLInputElement).value).toBe(
        'Pending',
      ),
    );
  });

  it('on a conflicting edit can reload theirs instead', async () => {
    const ticket = await seedTicket({ priority: 'normal' });
    await server.signIn('agent');
    const { user, details } = await openTicket(ticket.id);
    await server.request({
      method: 'PUT',
      url: `/api/crm/tickets/${ticket.id}`,
      as: admin,
      payload: { priority: 'high', version: ticket.version },
    });
    await pick(user, within(details).getByRole('combobox', { name: 'Priority' }), 'Low');
    const dialog = await screen.findByRole('dialog', { name: 'This ticket was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect((within(details).getByRole('combobox', { name: 'Priority' }) as HTMLInputElement).value).toBe(
        'High',
      ),
    );
    expect((await stored(ticket.id)).priority).toBe('high');
  });

  it('sends a public reply and an internal comment, shown differently, oldest first', async () => {
    const ticket = await seedTicket();
    await server.signIn('agent');
    const { user } = await openTicket(ticket.id);
    expect(screen.getByText('No replies or comments yet.')).toBeTruthy();

    await user.type(screen.getByRole('textbox', { name: 'Reply' }), 'We are *looking* into it.');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await findNotification('Reply sent')).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: 'Internal comment' }));
    const box = screen.getByRole('textbox', { name: 'Internal comment' });
    await user.type(box, 'Courier says it is lost');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await findNotification('Internal comment added')).toBeTruthy();

    const conversation = await screen.findByRole('region', { name: 'Conversation' });
    await waitFor(() => expect(within(conversation).getAllByRole('article')).toHaveLength(2));
    const [reply, internal] = within(conversation).getAllByRole('article') as [HTMLElement, HTMLElement];
    expect(reply.dataset.visibility).toBe('public');
    expect(within(reply).getByText('looking').tagName).toBe('EM');
    expect(within(reply).queryByText('Internal')).toBeNull();
    expect(internal.dataset.visibility).toBe('internal');
    expect(within(internal).getByText('Internal')).toBeTruthy();
    expect(internal.className).toMatch(/internal/);
    expect(reply.className).not.toMatch(/internal/);

    const saved = await stored(ticket.id);
    expect(saved.comments.map((c) => [c.visibility, c.body])).toEqual([
      ['public', 'We are *looking* into it.'],
      ['internal', 'Courier says it is lost'],
    ]);
    // the public reply was the first response
    expect(saved.first_response_at).not.toBeNull();
  });

  it('names external authors and says a ticket is late on its first response', async () => {
    const ticket = await seedTicket();
    // external comments arrive through the signed inbound endpoint; here they are written directly
    await server.database.db
      .insertInto('ticket_comments')
      .values({
        ticket_id: ticket.id,
        body: 'Still waiting!',
        visibility: 'public',
        external_author: 'Jane Buyer',
      })
      .execute();
    await server.database.db
      .updateTable('tickets')
      .set({ first_response_due_at: new Date(Date.now() - 60_000) })
      .where('id', '=', ticket.id)
      .execute();
    await server.signIn('agent');
    const { details } = await openTicket(ticket.id);
    const comment = await screen.findByRole('article', { name: 'Reply by Jane Buyer' });
    expect(within(comment).getByText('External')).toBeTruthy();
    expect(within(comment).getByText('Still waiting!')).toBeTruthy();
    expect(within(details).getByText('Breached')).toBeTruthy();
    expect(within(details).getByText(/overdue, was due/)).toBeTruthy();
  });

  it('shows a viewer the ticket without edit controls', async () => {
    const ticket = await seedTicket({ priority: 'high' });
    await server.signIn('viewer');
    const { details } = await openTicket(ticket.id);
    expect(within(details).queryByRole('combobox')).toBeNull();
    expect(within(details).getByText('High')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit subject' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send reply' })).toBeNull();
  });

  it('says when a ticket does not exist, with a way back', async () => {
    await server.signIn('agent');
    await renderApp(`/tickets/${randomUUID()}`);
    expect(await screen.findByRole('heading', { name: 'Ticket not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to tickets' }).getAttribute('href')).toBe('/tickets');
  });
});
