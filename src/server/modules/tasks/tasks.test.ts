import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../shared/customers.js';
import type { NotificationList } from '../../../shared/notifications.js';
import type { Problem } from '../../../shared/problem.js';
import type { Task, TaskList } from '../../../shared/tasks.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { createFollowUpTask } from './tasks.service.js';

/** Tasks over HTTP: CRUD, list order and filters, concurrency, permissions, timeline, notifications. */
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;
let other: StaffHandle;
let viewer: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  agent = await t.staff('agent');
  other = await t.staff('agent');
  viewer = await t.staff('viewer');
});
afterAll(() => t?.close());

async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  as: StaffHandle = agent,
  payload?: Record<string, unknown>,
) {
  const res = await t.request({ method, url, as, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T & Problem>(), raw: res.body };
}

async function makeTask(body: Record<string, unknown>, as: StaffHandle = agent): Promise<Task> {
  const res = await call<Task>('POST', '/api/crm/tasks', as, body);
  expect(res.status, res.raw).toBe(201);
  return res.body;
}

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

async function list(query: string, as: StaffHandle = agent) {
  const res = await call<TaskList>('GET', `/api/crm/tasks?${query}`, as);
  expect(res.status, res.raw).toBe(200);
  return res.body;
}

async function notificationsOf(as: StaffHandle) {
  return (await call<NotificationList>('GET', '/api/crm/notifications', as)).body;
}

async function timeline(customerId: string) {
  const res = await call<{ data: TimelineEvent[] }>(
    'GET',
    `/api/crm/customers/${customerId}/timeline?kind=task_created,task_completed,task_deleted`,
    admin,
  );
  return res.body.data;
}

describe('task CRUD', () => {
  it('creates a task for its creator, reads, updates and deletes it', async () => {
    const customer = await makeCustomer(t, admin, { first_name: 'Ada', last_name: 'Lovelace' });
    const due = hoursFromNow(24);
    const created = await makeTask({
      title: '  Call back about the invoice ',
      description: 'Ask for the PO number',
      customer_id: customer.id,
      due_at: due,
      remind_at: hoursFromNow(23),
    });
    expect(created).toMatchObject({
      title: 'Call back about the invoice',
      description: 'Ask for the PO number',
      customer: { id: customer.id, name: 'Ada Lovelace' },
      assignee: { id: agent.id },
      due_at: due,
      done: false,
      done_at: null,
      overdue: false,
      reminded_at: null,
      created_by: agent.id,
      version: 1,
    });

    const read = await call<Task>('GET', `/api/crm/tasks/${created.id}`, viewer);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created);

    const updated = await call<Task>('PUT', `/api/crm/tasks/${created.id}`, agent, {
      title: 'Call back',
      description: null,
      version: 1,
    });
    expect(updated.status, updated.raw).toBe(200);
    expect(updated.body).toMatchObject({ title: 'Call back', description: null, due_at: due, version: 2 });

    const deleted = await call<Task>('DELETE', `/api/crm/tasks/${created.id}`, agent);
    expect(deleted.status).toBe(200);
    expect(deleted.body.id).toBe(created.id);
    expect((await call('GET', `/api/crm/tasks/${created.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/crm/tasks/${created.id}`)).status).toBe(404);
    expect((await call('PUT', `/api/crm/tasks/${created.id}`, agent, { version: 2 })).status).toBe(404);
  });

  it('can be left unassigned, and needs no customer', async () => {
    const task = await makeTask({ title: 'Tidy the queue', assignee_id: null });
    expect(task).toMatchObject({ assignee: null, customer: null, due_at: null });
  });

  it('sets done_at when done and clears it when opened again; completion reaches the timeline', async () => {
    const customer = await makeCustomer(t, admin);
    const task = await makeTask({ title: 'Send the quote', customer_id: customer.id });
    const done = await call<Task>('PUT', `/api/crm/tasks/${task.id}`, agent, { done: true, version: 1 });
    expect(done.status, done.raw).toBe(200);
    expect(done.body.done).toBe(true);
    expect(Date.parse(done.body.done_at!)).toBeGreaterThan(Date.now() - 60_000);

    const reopened = await call<Task>('PUT', `/api/crm/tasks/${task.id}`, agent, { done: false, version: 2 });
    expect(reopened.body).toMatchObject({ done: false, done_at: null, version: 3 });

    const events = await timeline(customer.id);
    expect(events.map((e) => e.kind)).toEqual(['task_completed', 'task_created']);
    expect(events[0]).toMatchObject({ summary: 'Task done: Send the quote', actor: { id: agent.id } });
    expect(events[1]?.data).toMatchObject({ task_id: task.id, title: 'Send the quote' });

    await call('DELETE', `/api/crm/tasks/${task.id}`, admin);
    const [deleted] = await timeline(customer.id);
    expect(deleted).toMatchObject({
      kind: 'task_deleted',
      summary: 'Task deleted: Send the quote',
      actor: { id: admin.id },
      data: { task_id: task.id, done: false },
    });
  });

  it('refuses a stale version with 409 and the current task', async () => {
    const task = await makeTask({ title: 'Versioned' });
    expect(
      (await call('PUT', `/api/crm/tasks/${task.id}`, agent, { title: 'First', version: 1 })).status,
    ).toBe(200);
    const stale = await call<Task>('PUT', `/api/crm/tasks/${task.id}`, other, {
      title: 'Second',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.current).toMatchObject({ id: task.id, title: 'First', version: 2 });
    expect((await call<Task>('GET', `/api/crm/tasks/${task.id}`)).body.title).toBe('First');
  });
});

describe('list order and filters', () => {
  it('puts open tasks first, overdue first, then by due time with none last; pages by cursor', async () => {
    const owner = await t.staff('agent');
    const mk = (title: string, extra: Record<string, unknown> = {}) =>
      makeTask({ title, assignee_id: owner.id, ...extra }, admin);
    const noDue = await mk('no due time');
    const later = await mk('due later', { due_at: hoursFromNow(48) });
    const soon = await mk('due soon', { due_at: hoursFromNow(2) });
    const overdue = await mk('overdue', { due_at: hoursFromNow(-5) });
    const veryOverdue = await mk('very overdue', { due_at: hoursFromNow(-50) });
    const finished = await mk('done long ago', { due_at: hoursFromNow(-100) });
    await call('PUT', `/api/crm/tasks/${finished.id}`, admin, { done: true, version: 1 });

    const all = await list(`assignee_id=${owner.id}`);
    expect(all.data.map((x) => x.title)).toEqual([
      'very overdue',
      'overdue',
      'due soon',
      'due later',
      'no due time',
      'done long ago',
    ]);
    expect(all.data.map((x) => x.overdue)).toEqual([true, true, false, false, false, false]);
    expect(all.next_cursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: TaskList = await list(
        `assignee_id=${owner.id}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((x) => x.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([veryOverdue.id, overdue.id, soon.id, later.id, noDue.id, finished.id]);

    expect((await list(`assignee_id=${owner.id}&overdue=true`)).data.map((x) => x.id)).toEqual([
      veryOverdue.id,
      overdue.id,
    ]);
    expect((await list(`assignee_id=${owner.id}&done=true`)).data.map((x) => x.id)).toEqual([finished.id]);
    expect((await list(`assignee_id=${owner.id}&done=false`)).data).toHaveLength(5);
    expect(
      (await list(`assignee_id=${owner.id}&due_before=${encodeURIComponent(hoursFromNow(3))}`)).data.map(
        (x) => x.id,
      ),
    ).toEqual([veryOverdue.id, overdue.id, soon.id, finished.id]);
  });

  it('filters by me, none and customer', async () => {
    const me = await t.staff('agent');
    const customer = await makeCustomer(t, admin);
    const mine = await makeTask({ title: 'mine', customer_id: customer.id }, me);
    const unassigned = await makeTask({ title: 'nobody’s', assignee_id: null, customer_id: customer.id }, me);
    expect((await list('assignee_id=me', me)).data.map((x) => x.id)).toEqual([mine.id]);
    expect((await list('assignee_id=none', me)).data.map((x) => x.id)).toContain(unassigned.id);
    expect((await list('assignee_id=none', me)).data.every((x) => x.assignee === null)).toBe(true);
    expect((await list(`customer_id=${customer.id}`)).data.map((x) => x.id).sort()).toEqual(
      [mine.id, unassigned.id].sort(),
    );
  });
});

describe('bad input and permissions', () => {
  it('answers 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'title'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'ok', due_at: 'tomorrow' }, 'due_at'],
      [{ title: 'ok', remind_at: '2026-13-01' }, 'remind_at'],
      [{ title: 'ok', customer_id: 'abc' }, 'customer_id'],
      [{ title: 'ok', customer_id: '00000000-0000-4000-8000-000000000000' }, 'customer_id'],
      [{ title: 'ok', assignee_id: '00000000-0000-4000-8000-000000000000' }, 'assignee_id'],
      [{ title: 'ok', due_at: hoursFromNow(1), remind_at: hoursFromNow(2) }, 'remind_at'],
    ];
    for (const [payload, field] of cases) {
      const res = await call('POST', '/api/crm/tasks', agent, payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(
        res.body.errors?.map((e) => e.field),
        JSON.stringify(payload),
      ).toContain(field);
    }
    const task = await makeTask({ title: 'Valid' });
    const noVersion = await call('PUT', `/api/crm/tasks/${task.id}`, agent, { title: 'x' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.errors?.map((e) => e.field)).toContain('version');
    expect((await call('GET', '/api/crm/tasks/not-a-uuid')).status).toBe(400);
    const badFilter = await call('GET', '/api/crm/tasks?assignee_id=someone');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors?.[0]?.field).toMatch(/assignee_id/);
    expect((await call('GET', '/api/crm/tasks?cursor=nonsense')).status).toBe(400);
  });

  it('refuses a disabled staff user as assignee', async () => {
    const gone = await t.staff('agent');
    await t.database.db
      .updateTable('staff_users')
      .set({ disabled: true })
      .where('id', '=', gone.id)
      .execute();
    const res = await call('POST', '/api/crm/tasks', agent, { title: 'x', assignee_id: gone.id });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.field).toBe('assignee_id');
  });

  it('lets a viewer read but not write', async () => {
    const task = await makeTask({ title: 'Read only for viewers' });
    expect((await call('GET', '/api/crm/tasks', viewer)).status).toBe(200);
    expect((await call('GET', `/api/crm/tasks/${task.id}`, viewer)).status).toBe(200);
    expect((await call('POST', '/api/crm/tasks', viewer, { title: 'no' })).status).toBe(403);
    expect((await call('PUT', `/api/crm/tasks/${task.id}`, viewer, { done: true, version: 1 })).status).toBe(
      403,
    );
    expect((await call('DELETE', `/api/crm/tasks/${task.id}`, viewer)).status).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/crm/tasks' })).statusCode).toBe(401);
  });
});

describe('assignment', () => {
  it('notifies someone else who is given a task, not the one who assigns it to themselves', async () => {
    const assignee = await t.staff('agent');
    const customer = await makeCustomer(t, admin);
    const before = (await notificationsOf(agent)).unread_count;
    const task = await makeTask({
      title: 'Check the refund',
      customer_id: customer.id,
      assignee_id: assignee.id,
      due_at: '2030-03-04T09:05:00.000Z',
    });
    const mine = await notificationsOf(assignee);
    expect(mine.data).toHaveLength(1);
    expect(mine.data[0]).toMatchObject({
      kind: 'task_assigned',
      title: 'Task assigned to you: Check the refund',
      link: `/customers/${customer.id}`,
      customer_id: customer.id,
      actor: { id: agent.id },
      body: 'Due 4 Mar 2030, 09:05 UTC',
      data: { task_id: task.id, due_at: '2030-03-04T09:05:00.000Z' },
      read_at: null,
    });
    // the creator's own tasks notify nobody
    await makeTask({ title: 'My own' });
    expect((await notificationsOf(agent)).unread_count).toBe(before);

    // reassigning notifies the new assignee; an edit that keeps the assignee notifies nobody
    const third = await t.staff('agent');
    await call('PUT', `/api/crm/tasks/${task.id}`, agent, { assignee_id: third.id, version: 1 });
    await call('PUT', `/api/crm/tasks/${task.id}`, agent, { title: 'Check the refund today', version: 2 });
    const theirs = await notificationsOf(third);
    expect(theirs.data.map((n) => [n.kind, n.link])).toEqual([
      ['task_assigned', `/customers/${customer.id}`],
    ]);
    expect((await notificationsOf(assignee)).data).toHaveLength(1);

    const general = await makeTask({ title: 'No customer', assignee_id: third.id });
    expect((await notificationsOf(third)).data[0]).toMatchObject({
      link: '/tasks',
      data: { task_id: general.id },
    });
  });

  it('creates follow-up tasks in the caller’s transaction and notifies their assignee', async () => {
    const customer = await makeCustomer(t, admin);
    const dueAt = new Date(Date.now() + 86_400_000);
    const { id } = await t.database.db.transaction().execute((trx) =>
      createFollowUpTask(trx, {
        customerId: customer.id,
        title: 'Follow up',
        dueAt,
        assigneeId: other.id,
        createdBy: agent.id,
      }),
    );
    const task = (await call<Task>('GET', `/api/crm/tasks/${id}`)).body;
    expect(task).toMatchObject({
      title: 'Follow up',
      due_at: dueAt.toISOString(),
      remind_at: dueAt.toISOString(),
    });
    // the caller writes the timeline event, knowing the cause
    expect(await timeline(customer.id)).toEqual([]);
    const rows = await sql<{ n: number | string }>`
      select count(*) as n from notifications where recipient_id = ${other.id} and kind = 'task_assigned'
        and data->>'task_id' = ${id}`.execute(t.database.db);
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });
});

describe('OpenAPI', () => {
  it('documents the task and notification routes', async () => {
    const res = await t.request({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/crm/tasks',
        '/api/crm/tasks/{id}',
        '/api/crm/notifications',
        '/api/crm/notifications/{id}/read',
        '/api/crm/notifications/read-all',
      ]),
    );
  });
});
