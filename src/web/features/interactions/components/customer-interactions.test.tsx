import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../../shared/customers.js';
import type { Interaction, InteractionList } from '../../../../shared/interactions.js';
import type { TaskList } from '../../../../shared/tasks.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The interactions tab of CustomerProfile against a real server. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function logInteraction(customer: Customer, as: StaffHandle, body: Record<string, unknown>) {
  const res = await server.request({
    method: 'POST',
    url: `/api/crm/customers/${customer.id}/interactions`,
    as,
    payload: body,
  });
  expect(res.statusCode).toBe(201);
  return res.json<Interaction>();
}

async function stored(customer: Customer): Promise<Interaction[]> {
  const res = await server.request({
    method: 'GET',
    url: `/api/crm/customers/${customer.id}/interactions`,
    as: admin,
  });
  return res.json<InteractionList>().data;
}

async function openTab(id: string) {
  const view = await renderApp(`/customers/${id}`);
  // the first render in a file loads the profile's code: give it longer on a busy machine
  await screen.findByRole('heading', { level: 1 }, { timeout: 30_000 });
  await view.user.click(screen.getByRole('tab', { name: 'Interactions' }));
  return view;
}

async function pickPreset(user: UserEvent, dialog: HTMLElement, label: string, preset: string) {
  await user.click(within(dialog).getByRole('button', { name: label }));
  await user.click(await screen.findByRole('button', { name: preset }));
  await user.keyboard('{Escape}');
}

describe('interactions on the profile', () => {
  it('logs a call with a follow-up: it is listed and a task is created for me', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Ian', last_name: 'Teract' });
    const me = await server.signIn('agent');
    const { user } = await openTab(customer.id);
    expect(await screen.findByText('No interactions logged yet.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Log interaction' }));
    const dialog = await screen.findByRole('dialog', { name: 'Log interaction' });
    // the subject is required
    await user.click(within(dialog).getByRole('button', { name: 'Log interaction' }));
    expect(await within(dialog).findByText('A subject is required')).toBeTruthy();
    await user.type(within(dialog).getByRole('textbox', { name: 'Subject' }), 'Late parcel');
    await user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Line one\n  two');
    await user.type(within(dialog).getByRole('textbox', { name: 'Outcome' }), 'Resend Monday');
    await pickPreset(user, dialog, 'Follow-up', 'Tomorrow 9:00');
    await user.click(within(dialog).getByRole('button', { name: 'Log interaction' }));
    expect(await findNotification('a follow-up task was created for you')).toBeTruthy();

    const item = await screen.findByRole('article', { name: 'Late parcel' });
    expect(within(item).getByRole('img', { name: 'Phone' })).toBeTruthy();
    // the description is plain text with its line breaks and spaces kept
    const description = within(item).getByText(/Line one/);
    expect(description.textContent).toBe('Line one\n  two');
    expect(description.style.whiteSpace).toBe('pre-wrap');
    expect(within(item).getByText(/Resend Monday/)).toBeTruthy();
    const [saved] = await stored(customer);
    expect(saved).toMatchObject({ interaction_type: 'phone', outcome: 'Resend Monday' });
    expect(saved?.follow_up_task_id).toBeTruthy();
    expect(new Date(saved!.follow_up_date!).getHours()).toBe(9);
    const link = within(item).getByRole('link', { name: 'Open task' });
    expect(link.getAttribute('href')).toBe(`/tasks?highlight=${saved!.follow_up_task_id}`);

    const tasks = await server.request({ method: 'GET', url: '/api/crm/tasks', as: me });
    const task = tasks.json<TaskList>().data.find((t) => t.id === saved!.follow_up_task_id);
    expect(task).toMatchObject({ customer: { id: customer.id }, assignee: { id: me.id }, done: false });
  });

  it('filters by type', async () => {
    const customer = await makeCustomer(server, admin);
    const agent = await server.signIn('agent');
    await logInteraction(customer, agent, { interaction_type: 'email', subject: 'Sent the invoice' });
    await logInteraction(customer, agent, { interaction_type: 'meeting', subject: 'Showroom visit' });
    const { user } = await openTab(customer.id);
    expect(await screen.findByRole('article', { name: 'Sent the invoice' })).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Meeting' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Sent the invoice' })).toBeNull());
    expect(await screen.findByRole('article', { name: 'Showroom visit' })).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Chat' }));
    expect(await screen.findByText('No chat interactions.')).toBeTruthy();
  });

  it('edits with the version: a stale save shows the conflict dialog; Reload takes theirs', async () => {
    const customer = await makeCustomer(server, admin);
    const agent = await server.signIn('agent');
    const first = await logInteraction(customer, agent, {
      interaction_type: 'chat',
      subject: 'Asked about sizes',
    });
    const { user } = await openTab(customer.id);
    const item = await screen.findByRole('article', { name: 'Asked about sizes' });
    await user.click(within(item).getByRole('button', { name: 'Edit interaction' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit interaction' });
    const subject = within(dialog).getByRole('textbox', { name: 'Subject' });
    await user.clear(subject);
    await user.type(subject, 'My subject');
    await server.request({
      method: 'PUT',
      url: `/api/crm/interactions/${first.id}`,
      as: admin,
      payload: { subject: 'Their subject', version: first.version },
    });
    await user.click(within(dialog).getByRole('button', { name: 'Save interaction' }));
    const conflict = await screen.findByRole('dialog', {
      name: 'This interaction was changed by someone else',
    });
    await user.click(within(conflict).getByRole('button', { name: 'Reload' }));
    const reopened = await screen.findByRole('dialog', { name: 'Edit interaction' });
    await waitFor(() =>
      expect((within(reopened).getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe(
        'Their subject',
      ),
    );
    // saving now builds on their version
    await user.type(within(reopened).getByRole('textbox', { name: 'Outcome' }), 'Sent a size chart');
    await user.click(within(reopened).getByRole('button', { name: 'Save interaction' }));
    expect(await findNotification('“Their subject” saved')).toBeTruthy();
    expect((await stored(customer))[0]).toMatchObject({
      subject: 'Their subject',
      outcome: 'Sent a size chart',
    });
    expect(await screen.findByRole('article', { name: 'Their subject' })).toBeTruthy();
  });

  it('deletes after confirming; others see no edit or delete, a viewer cannot log', async () => {
    const customer = await makeCustomer(server, admin);
    const agent = await server.signIn('agent');
    await logInteraction(customer, agent, { interaction_type: 'email', subject: 'Mine' });
    await logInteraction(customer, admin, { interaction_type: 'email', subject: 'The admin’s' });
    let view = await openTab(customer.id);
    const admins = await screen.findByRole('article', { name: 'The admin’s' });
    expect(within(admins).queryByRole('button', { name: 'Delete interaction' })).toBeNull();
    const mine = screen.getByRole('article', { name: 'Mine' });
    await view.user.click(within(mine).getByRole('button', { name: 'Delete interaction' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this interaction?' });
    await view.user.click(within(dialog).getByRole('button', { name: 'Delete interaction' }));
    expect(await findNotification('Interaction deleted')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Mine' })).toBeNull());
    expect((await stored(customer)).map((i) => i.subject)).toEqual(['The admin’s']);
    view.unmount();

    await server.signIn('viewer');
    view = await openTab(customer.id);
    expect(await screen.findByRole('article', { name: 'The admin’s' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Log interaction' })).toBeNull();
    expect(screen.queryByRole('button', { name: /interaction$/ })).toBeNull();
  });
});
