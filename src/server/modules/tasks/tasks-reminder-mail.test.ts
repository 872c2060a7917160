import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../../shared/tasks.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type SmtpPeer, startSmtpPeer } from '../../../../tests/helpers/smtp-peer.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { enqueueJob } from '../../platform/jobs.js';
import { testConfig } from '../../config.js';
import { MAIL_JOB } from '../../platform/mail.js';
import { TASK_REMINDERS_JOB } from './tasks.service.js';

/** Reminder emails, delivered to a real SMTP peer when SMTP_URL is set, and only then. */
let peer: SmtpPeer;
let t: TestApp;
let admin: StaffHandle;

beforeAll(async () => {
  peer = await startSmtpPeer();
  t = await createTestApp({
    mail: { ...testConfig().mail, smtpUrl: peer.url, from: '"CRM console" <crm@test.example>' },
    publicUrl: 'https://crm.test.example/',
  });
  admin = await t.staff('admin');
});
afterAll(async () => {
  await t?.close();
  await peer?.close();
});

async function dueTask(as: StaffHandle, body: Record<string, unknown>): Promise<Task> {
  const res = await t.request({
    method: 'POST',
    url: '/api/crm/tasks',
    as,
    payload: { remind_at: new Date(Date.now() + 3600_000).toISOString(), ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  const task = res.json<Task>();
  // time passes: the reminder falls due
  await sql`update tasks set remind_at = now() - interval '1 second' where id = ${task.id}`.execute(
    t.database.db,
  );
  return task;
}

const runReminders = async () => {
  await enqueueJob(t.database.db, { kind: TASK_REMINDERS_JOB });
  await t.app.workers.runner.runDue();
};

describe('reminder emails', () => {
  it('emails the assignee once, with the task, its due time, the customer and a link', async () => {
    const agent = await t.staff('agent');
    const customer = await makeCustomer(t, admin, { first_name: 'Ada', last_name: 'Lovelace' });
    const due = new Date(Date.now() + 2 * 3600_000);
    const task = await dueTask(admin, {
      title: 'Call Ada about the invoice',
      customer_id: customer.id,
      assignee_id: agent.id,
      due_at: due.toISOString(),
      remind_at: new Date(Date.now() + 3600_000).toISOString(),
    });
    await runReminders();
    const [mail] = await peer.waitFor(1);
    expect(mail?.envelope.to).toEqual([agent.email]);
    expect(mail?.parsed.subject).toBe('Reminder: Call Ada about the invoice');
    expect(mail?.parsed.from?.value[0]?.address).toBe('crm@test.example');
    expect(mail?.parsed.messageId).toMatch(/^<.+@.+>$/);
    const text = mail?.parsed.text ?? '';
    expect(text).toContain(`Due: ${due.toUTCString()}`);
    expect(text).toContain('Customer: Ada Lovelace');
    expect(text).toContain(`https://crm.test.example/customers/${customer.id}`);

    // the job again, later: nothing more is sent
    await runReminders();
    await new Promise((r) => setTimeout(r, 200));
    expect(peer.received.filter((m) => m.parsed.subject?.includes(task.title))).toHaveLength(1);
    const job = await t.database.db
      .selectFrom('jobs')
      .select(['status', 'result'])
      .where('kind', '=', MAIL_JOB)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ message_id: mail?.parsed.messageId });
  });

  it('reminds the creator of an unassigned task, and sends nothing for a disabled user', async () => {
    const before = peer.received.length;
    const creator = await t.staff('agent');
    await dueTask(creator, { title: 'Unassigned follow-up', assignee_id: null });
    const gone = await t.staff('agent');
    await dueTask(admin, { title: 'For a leaver', assignee_id: gone.id });
    await t.database.db
      .updateTable('staff_users')
      .set({ disabled: true })
      .where('id', '=', gone.id)
      .execute();
    await runReminders();
    const mails = await peer.waitFor(before + 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(mails.slice(before).map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
      [creator.email, 'Reminder: Unassigned follow-up'],
    ]);
  });
});

describe('without SMTP_URL', () => {
  it('queues no email: the in-app notification is the reminder', async () => {
    const plain = await createTestApp();
    try {
      const agent = await plain.staff('agent');
      const res = await plain.request({
        method: 'POST',
        url: '/api/crm/tasks',
        as: agent,
        payload: { title: 'No mail here', remind_at: new Date(Date.now() + 60_000).toISOString() },
      });
      expect(res.statusCode).toBe(201);
      await sql`update tasks set remind_at = now() - interval '1 second'`.execute(plain.database.db);
      await enqueueJob(plain.database.db, { kind: TASK_REMINDERS_JOB });
      await plain.app.workers.runner.runDue();
      const kinds = await plain.database.db.selectFrom('jobs').select('kind').execute();
      expect(kinds.map((k) => k.kind)).toContain(TASK_REMINDERS_JOB);
      expect(kinds.map((k) => k.kind)).not.toContain(MAIL_JOB);
      const notes = await plain.database.db.selectFrom('notifications').select('kind').execute();
      expect(notes.map((n) => n.kind)).toEqual(['task_reminder']);
    } finally {
      await plain.close();
    }
  });
});
