import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../../shared/customers.js';
import type { Task, TaskList } from '../../../../shared/tasks.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** Tasks against a real server: create with due and reminder, toggle done, overdue, conflicts, the customer tab. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function seedTask(body: Record<string, unknown>): Promise<Task> {
  const res = await server.request({ method: 'POST', url: '/api/crm/tasks', as: admin, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Task>();
}

async function storedTask(id: string): Promise<Task> {
  const res = await server.request({ method: 'GET', url: `/api/crm/tasks/${id}`, as: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Task>();
}

async function tasksTitled(title: string): Promise<Task[]> {
  const res = await server.request({ method: 'GET', url: '/api/crm/tasks?limit=200', as: admin });
  return res.json<TaskList>().data.filter((t) => t.title === title);
}

const rowOf = (table: HTMLElement, title: string) =>
  within(table)
    .getAllByText(title)
    .map((el) => el.closest('tr'))
    .find(Boolean) as HTMLElement;

/** Opens a date-time picker by its label and picks one of its presets. */
async function pickPreset(
  user: ReturnType<typeof import('@testing-library/user-event').default.setup>,
  dialog: HTMLElement,
  label: string,
  preset: string,
) {
  await user.click(within(dialog).getByRole('button', { name: label }));
  const presetButton = await screen.findByRole('button', { name: preset });
  await user.click(presetButton);
  await user.keyboard('{Escape}');
}

/** The page header's "New task" (an empty list shows a second one in its empty state). */
async function openNewTask(user: ReturnType<typeof import('@testing-library/user-event').default.setup>) {
  const [headerButton] = await screen.findAllByRole('button', { name: 'New task' });
  await user.click(headerButton!);
  return screen.findByRole('dialog', { name: 'New task' });
}

describe('task list', () => {
  it('creates a task with a due time and a reminder an hour before, and lists it', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Tessa', last_name: 'Taskworth' });
    const me = await server.signIn('agent');
    const { user } = await renderApp('/tasks');
    const dialog = await openNewTask(user);
    await user.click(within(dialog).getByRole('textbox', { name: 'Title' }));
    await user.paste('Call back about the invoice');
    await user.click(within(dialog).getByRole('combobox', { name: 'Customer' }));
    await user.paste('Taskworth');
    await user.click(await screen.findByRole('option', { name: /^Tessa Taskworth/ }));
    await pickPreset(user, dialog, 'Due', 'Tomorrow 9:00');
    await user.click(within(dialog).getByRole('button', { name: '1 hour before due' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect(await findNotification('Task “Call back about the invoice” created')).toBeTruthy();

    const [stored] = await tasksTitled('Call back about the invoice');
    expect(stored).toMatchObject({ customer: { id: customer.id }, assignee: { id: me.id }, done: false });
    const due = new Date(stored!.due_at!);
    expect(due.getHours()).toBe(9);
    expect(due.getTime() - new Date(stored!.remind_at!).getTime()).toBe(60 * 60 * 1000);

    const table = await screen.findByRole('table', { name: 'Tasks' });
    const row = await waitFor(() => rowOf(table, 'Call back about the invoice'));
    expect(within(row).getByRole('link', { name: 'Tessa Taskworth' })).toBeTruthy();
    expect(within(row).getByLabelText(/^Reminder /)).toBeTruthy();
  }, 120_000);

  it('refuses a reminder after the due time on the reminder field', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/tasks');
    const dialog = await openNewTask(user);
    await user.type(within(dialog).getByRole('textbox', { name: 'Title' }), 'Late reminder');
    await pickPreset(user, dialog, 'Due', 'Tomorrow 9:00');
    await pickPreset(user, dialog, 'Reminder', 'In a week');
    expect(await within(dialog).findByText('The reminder must not come after the due time')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.getByRole('dialog', { name: 'New task' })).toBeTruthy();
    expect(await tasksTitled('Late reminder')).toHaveLength(0);
  });

  it('ticks a task done: saved on the server, and it moves from Open to Done', async () => {
    const me = await server.signIn('agent');
    const task = await seedTask({ title: 'Send the contract', assignee_id: me.id });
    const { user } = await renderApp('/tasks');
    const table = await screen.findByRole('table', { name: 'Tasks' });
    await user.click(
      within(rowOf(table, 'Send the contract')).getByRole('checkbox', {
        name: 'Mark task Send the contract done',
      }),
    );
    await waitFor(async () => expect((await storedTask(task.id)).done).toBe(true));
    // it was my only open task: the list empties
    expect(await screen.findByText('Nothing to do')).toBeTruthy();
    expect(screen.queryByText('Send the contract')).toBeNull();

    await user.click(screen.getByRole('radio', { name: 'Done' }));
    await waitFor(() => expect(currentUrl()).toContain('status=done'));
    const doneTable = await screen.findByRole('table', { name: 'Tasks' });
    const row = await waitFor(() => rowOf(doneTable, 'Send the contract'));
    expect(
      (within(row).getByRole('checkbox', { name: 'Reopen task Send the contract' }) as HTMLInputElement)
        .checked,
    ).toBe(true);
  });

  it('shows an overdue task first, marked Overdue', async () => {
    const me = await server.signIn('agent');
    await seedTask({
      title: 'Later task',
      assignee_id: me.id,
      due_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await seedTask({
      title: 'Missed follow-up',
      assignee_id: me.id,
      due_at: new Date(Date.now() - 3_600_000).toISOString(),
    });
    await renderApp('/tasks?assignee=me');
    const table = await screen.findByRole('table', { name: 'Tasks' });
    const row = await waitFor(() => rowOf(table, 'Missed follow-up'));
    expect(within(row).getByText('Overdue')).toBeTruthy();
    expect(within(rowOf(table, 'Later task')).queryByText('Overdue')).toBeNull();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toBe(row);
  });

  it('points out the task a link names (?highlight=), e.g. an interaction follow-up', async () => {
    const me = await server.signIn('agent');
    await seedTask({ title: 'Not this one', assignee_id: me.id });
    const target = await seedTask({ title: 'The follow-up', assignee_id: me.id });
    await renderApp(`/tasks?highlight=${target.id}`);
    const table = await screen.findByRole('table', { name: 'Tasks' });
    const row = await waitFor(() => rowOf(table, 'The follow-up'));
    expect(row.getAttribute('aria-current')).toBe('true');
    expect(rowOf(table, 'Not this one').getAttribute('aria-current')).toBeNull();
  });

  it('on a stale edit offers the conflict dialog, and Reload shows their version', async () => {
    const me = await server.signIn('agent');
    const task = await seedTask({ title: 'Prepare the demo', assignee_id: me.id });
    const { user } = await renderApp('/tasks');
    const table = await screen.findByRole('table', { name: 'Tasks' });
    await user.click(
      await waitFor(() =>
        within(rowOf(table, 'Prepare the demo')).getByRole('button', { name: 'Edit task Prepare the demo' }),
      ),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit task' });
    const res = await server.request({
      method: 'PUT',
      url: `/api/crm/tasks/${task.id}`,
      as: admin,
      payload: { title: 'Prepare the demo (theirs)', version: task.version },
    });
    expect(res.statusCode, res.body).toBe(200);

    const title = within(dialog).getByRole('textbox', { name: 'Title' });
    await user.clear(title);
    await user.type(title, 'Prepare the demo (mine)');
    await user.click(within(dialog).getByRole('button', { name: 'Save task' }));
    const conflict = await screen.findByRole('dialog', { name: 'This task was changed by someone else' });
    await user.click(within(conflict).getByRole('button', { name: 'Reload' }));
    const reopened = await screen.findByRole('dialog', { name: 'Edit task' });
    await waitFor(() =>
      expect((within(reopened).getByRole('textbox', { name: 'Title' }) as HTMLInputElement).value).toBe(
        'Prepare the demo (theirs)',
      ),
    );
    expect((await storedTask(task.id)).title).toBe('Prepare the demo (theirs)');
  });

  it('deletes a task after confirmation', async () => {
    const me = await server.signIn('agent');
    const task = await seedTask({ title: 'Obsolete chore', assignee_id: me.id });
    const { user } = await renderApp('/tasks');
    const table = await screen.findByRole('table', { name: 'Tasks' });
    await user.click(
      await waitFor(() =>
        within(rowOf(table, 'Obsolete chore')).getByRole('button', { name: 'Delete task Obsolete chore' }),
      ),
    );
    const confirm = await screen.findByRole('dialog', { name: 'Delete this task?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete task' }));
    expect(await findNotification('Task “Obsolete chore” deleted')).toBeTruthy();
    const res = await server.request({ method: 'GET', url: `/api/crm/tasks/${task.id}`, as: admin });
    expect(res.statusCode).toBe(404);
  });

  it('overwrites their change when asked, with the current version', async () => {
    const me = await server.signIn('agent');
    const task = await seedTask({ title: 'Book the venue', assignee_id: me.id });
    const { user } = await renderApp('/tasks');
    const table = await screen.findByRole('table', { name: 'Tasks' });
    await user.click(
      await waitFor(() =>
        within(rowOf(table, 'Book the venue')).getByRole('button', { name: 'Edit task Book the venue' }),
      ),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit task' });
    await server.request({
      method: 'PUT',
      url: `/api/crm/tasks/${task.id}`,
      as: admin,
      payload: { description: 'Their note', version: task.version },
    });
    await user.click(within(dialog).getByRole('textbox', { name: 'Description' }));
    await user.paste('Mine wins');
    await user.click(within(dialog).getByRole('button', { name: 'Save task' }));
    const conflict = await screen.findByRole('dialog', { name: 'This task was changed by someone else' });
    await user.click(within(conflict).getByRole('button', { name: 'Overwrite' }));
    expect(await findNotification('Task “Book the venue” saved')).toBeTruthy();
    expect(await storedTask(task.id)).toMatchObject({ description: 'Mine wins', version: task.version + 2 });
  });

  it('loads more tasks by cursor', async () => {
    for (let i = 0; i < 52; i += 1) await seedTask({ title: `Bulk chore ${i}`, assignee_id: null });
    await server.signIn('agent');
    const { user } = await renderApp('/tasks?assignee=none');
    const table = await screen.findByRole('table', { name: 'Tasks' });
    await waitFor(() => expect(within(table).getAllByText(/^Bulk chore/)).toHaveLength(50));
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(table).getAllByText(/^Bulk chore/)).toHaveLength(52));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('on a customer tab, creates a task about that customer and hides done ones until asked', async () => {
    const customer: Customer = await makeCustomer(server, admin, { first_name: 'Cora', last_name: 'Tabby' });
    await seedTask({ title: 'Old done task', customer_id: customer.id }).then((t) =>
      server.request({
        method: 'PUT',
        url: `/api/crm/tasks/${t.id}`,
        as: admin,
        payload: { done: true, version: t.version },
      }),
    );
    await server.signIn('agent');
    const { user } = await renderApp(`/customers/${customer.id}`);
    await user.click(await screen.findByRole('tab', { name: 'Tasks' }));
    const dialog = await openNewTask(user);
    expect(within(dialog).getByRole('combobox', { name: 'Assignee' })).toBeTruthy();
    expect(within(dialog).queryByRole('combobox', { name: 'Customer' })).toBeNull();
    await user.type(within(dialog).getByRole('textbox', { name: 'Title' }), 'Ask Cora for feedback');
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect(await findNotification('Task “Ask Cora for feedback” created')).toBeTruthy();
    expect((await tasksTitled('Ask Cora for feedback'))[0]?.customer?.id).toBe(customer.id);

    const table = await screen.findByRole('table', { name: 'Customer tasks' });
    await waitFor(() => expect(rowOf(table, 'Ask Cora for feedback')).toBeTruthy());
    expect(within(table).queryByText('Old done task')).toBeNull();
    await user.click(screen.getByRole('switch', { name: /Show done/ }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Customer tasks' })).getByText('Old done task'),
      ).toBeTruthy(),
    );
  });
});
