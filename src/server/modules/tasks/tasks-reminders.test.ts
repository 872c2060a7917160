import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../../shared/tasks.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import type { AppDeps } from '../../platform/deps.js';
import { createJobRunner, enqueueJob } from '../../platform/jobs.js';
import { enqueueScheduledJobs } from '../../workers.js';
import { TASK_REMINDERS_JOB, deliverDueReminders, taskRemindersJob } from './tasks.service.js';

/** Reminders: delivered once by the every-minute job, also with two runners; re-armed by a new time. */
let t: TestApp;
let deps: AppDeps;
let admin: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  deps = { database: t.database, db: t.database.db, config: t.config, jwt: null };
  admin = await t.staff('admin');
});
afterAll(() => t?.close());

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function makeTask(as: StaffHandle, body: Record<string, unknown>): Promise<Task> {
  const res = await t.request({ method: 'POST', url: '/api/crm/tasks', as, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Task>();
}

/** Moves a task's reminder into the past without touching reminded_at (time passing). */
async function makeDue(id: string) {
  await sql`update tasks set remind_at = now() - interval '1 second' where id = ${id}`.execute(t.database.db);
}

async function reminders(staffId: string) {
  const rows = await t.database.db
    .selectFrom('notifications')
    .select(['title', 'link', 'data', 'customer_id'])
    .where('recipient_id', '=', staffId)
    .where('kind', '=', 'task_reminder')
    .orderBy('created_at')
    .orderBy('title')
    .execute();
  return rows;
}

async function getTask(id: string, as: StaffHandle) {
  return (await t.request({ method: 'GET', url: `/api/crm/tasks/${id}`, as })).json<Task>();
}

const runReminderJob = () => enqueueJob(t.database.db, { kind: TASK_REMINDERS_JOB });

describe('task reminders', () => {
  it('delivers a due reminder once even when the job runs twice; a future one waits', async () => {
    const agent = await t.staff('agent');
    const customer = await makeCustomer(t, admin);
    const due = await makeTask(agent, {
      title: 'Call Ada',
      customer_id: customer.id,
      remind_at: minutesFromNow(30),
      due_at: minutesFromNow(60),
    });
    const future = await makeTask(agent, { title: 'Later', remind_at: minutesFromNow(30) });
    await makeDue(due.id);

    await runReminderJob();
    await runReminderJob();
    expect(await t.app.workers.runner.runDue()).toBeGreaterThanOrEqual(2);
    expect(await reminders(agent.id)).toEqual([
      {
        title: 'Reminder: Call Ada',
        link: `/customers/${customer.id}`,
        customer_id: customer.id,
        data: { task_id: due.id, due_at: due.due_at },
      },
    ]);
    expect((await getTask(due.id, agent)).reminded_at).not.toBeNull();
    expect((await getTask(future.id, agent)).reminded_at).toBeNull();

    // once its time comes, the future one is delivered too, and only it
    await makeDue(future.id);
    await runReminderJob();
    await t.app.workers.runner.runDue();
    expect((await reminders(agent.id)).map((r) => [r.title, r.link])).toEqual([
      ['Reminder: Call Ada', `/customers/${customer.id}`],
      ['Reminder: Later', '/tasks'],
    ]);
  });

  it('delivers each reminder once when two runners (two processes) run at the same time', async () => {
    const agent = await t.staff('agent');
    const tasks = [];
    for (let i = 0; i < 20; i += 1) {
      tasks.push(await makeTask(agent, { title: `Concurrent ${i}`, remind_at: minutesFromNow(30) }));
    }
    await sql`update tasks set remind_at = now() - interval '1 second'
              where id in (${sql.join(tasks.map((x) => x.id))})`.execute(t.database.db);
    for (let i = 0; i < 4; i += 1) await runReminderJob();
    const handlers = { [TASK_REMINDERS_JOB]: taskRemindersJob };
    const one = createJobRunner(deps, handlers);
    const two = createJobRunner(deps, handlers);
    const ran = await Promise.all([one.runDue(), two.runDue()]);
    expect(ran[0] + ran[1]).toBeGreaterThanOrEqual(4);
    // and the delivery itself, raced directly
    await Promise.all([deliverDueReminders(deps), deliverDueReminders(deps), deliverDueReminders(deps)]);
    const got = await reminders(agent.id);
    expect(got).toHaveLength(20);
    expect(new Set(got.map((r) => r.data.task_id)).size).toBe(20);
  });

  it('does not remind of a done task', async () => {
    const agent = await t.staff('agent');
    const task = await makeTask(agent, { title: 'Already handled', remind_at: minutesFromNow(30) });
    const res = await t.request({
      method: 'PUT',
      url: `/api/crm/tasks/${task.id}`,
      as: agent,
      payload: { done: true, version: 1 },
    });
    expect(res.statusCode).toBe(200);
    await makeDue(task.id);
    expect(await deliverDueReminders(deps)).toBe(0);
    expect(await reminders(agent.id)).toEqual([]);
  });

  it('re-arms a delivered reminder when its time changes', async () => {
    const agent = await t.staff('agent');
    const task = await makeTask(agent, { title: 'Twice', remind_at: minutesFromNow(30) });
    await makeDue(task.id);
    expect(await deliverDueReminders(deps)).toBe(1);
    const delivered = await getTask(task.id, agent);
    expect(delivered.reminded_at).not.toBeNull();

    // an edit that keeps the reminder time leaves it delivered
    const kept = await t.request({
      method: 'PUT',
      url: `/api/crm/tasks/${task.id}`,
      as: agent,
      payload: { title: 'Twice, renamed', version: delivered.version },
    });
    expect(kept.json<Task>().reminded_at).toBe(delivered.reminded_at);

    const moved = await t.request({
      method: 'PUT',
      url: `/api/crm/tasks/${task.id}`,
      as: agent,
      payload: { remind_at: minutesFromNow(10), version: delivered.version + 1 },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Task>().reminded_at).toBeNull();
    expect(await deliverDueReminders(deps)).toBe(0);
    await makeDue(task.id);
    expect(await deliverDueReminders(deps)).toBe(1);
    expect((await reminders(agent.id)).map((r) => r.title)).toEqual([
      'Reminder: Twice',
      'Reminder: Twice, renamed',
    ]);
  });

  it('reminds the creator of an unassigned task', async () => {
    const agent = await t.staff('agent');
    const task = await makeTask(agent, {
      title: 'Nobody’s',
      assignee_id: null,
      remind_at: minutesFromNow(5),
    });
    await makeDue(task.id);
    expect(await deliverDueReminders(deps)).toBe(1);
    expect((await reminders(agent.id)).map((r) => r.title)).toEqual(['Reminder: Nobody’s']);
  });

  it('is enqueued by the scheduler once per minute', async () => {
    const now = new Date('2030-01-01T10:15:20Z');
    await enqueueScheduledJobs(deps, now);
    await enqueueScheduledJobs(deps, new Date('2030-01-01T10:15:59Z'));
    await enqueueScheduledJobs(deps, new Date('2030-01-01T10:16:01Z'));
    const rows = await sql<{ dedupe_key: string; run_at: Date }>`
      select dedupe_key, run_at from jobs where kind = ${TASK_REMINDERS_JOB} and dedupe_key like '%@2030-%'
      order by run_at`.execute(t.database.db);
    expect(rows.rows.map((r) => r.dedupe_key)).toEqual([
      'tasks.reminders@2030-01-01T10:15:00.000Z',
      'tasks.reminders@2030-01-01T10:16:00.000Z',
    ]);
    // and through the app's own scheduler, twice at one instant: one job for that minute
    const instant = new Date('2030-01-01T11:00:30Z');
    await t.app.workers.schedule(instant);
    await t.app.workers.schedule(instant);
    const current = await sql<{ n: number | string }>`
      select count(*) as n from jobs where dedupe_key = 'tasks.reminders@2030-01-01T11:00:00.000Z'`.execute(
      t.database.db,
    );
    expect(Number(current.rows[0]?.n)).toBe(1);
  });
});
