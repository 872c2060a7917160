import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyWork } from '../../../shared/work.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** GET /api/crm/my-work: the caller's tasks, tickets, mentions and customers, and nobody else's. */
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;
let other: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  agent = await t.staff('agent');
  other = await t.staff('agent');
});
afterAll(() => t?.close());

async function post(url: string, payload: object, as: StaffHandle) {
  const res = await t.request({ method: 'POST', url, as, payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<{ id: string; version: number }>();
}

describe('my work', () => {
  it('gathers my open tasks (overdue first), open tickets, unread mentions and customers', async () => {
    const mine = await makeCustomer(t, admin, { first_name: 'Mina', last_name: 'Mine', owner_id: agent.id });
    await makeCustomer(t, admin, { first_name: 'Otto', last_name: 'Other', owner_id: other.id });
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const late = new Date(Date.now() - 86_400_000).toISOString();
    await post('/api/crm/tasks', { title: 'Call back', due_at: soon, assignee_id: agent.id }, admin);
    await post('/api/crm/tasks', { title: 'Overdue follow-up', due_at: late, assignee_id: agent.id }, admin);
    const done = await post('/api/crm/tasks', { title: 'Finished', assignee_id: agent.id }, admin);
    await t.request({
      method: 'PUT',
      url: `/api/crm/tasks/${done.id}`,
      as: admin,
      payload: { done: true, version: done.version },
    });
    await post('/api/crm/tasks', { title: 'Not mine', assignee_id: other.id }, admin);
    await post(
      '/api/crm/tickets',
      { subject: 'Broken grinder', assignee_id: agent.id, customer_id: mine.id },
      admin,
    );
    const closed = await post('/api/crm/tickets', { subject: 'Old question', assignee_id: agent.id }, admin);
    await t.request({
      method: 'PUT',
      url: `/api/crm/tickets/${closed.id}`,
      as: admin,
      payload: { status: 'closed', version: closed.version },
    });
    await post(
      `/api/crm/customers/${mine.id}/notes`,
      { content: `Please check this, @[Agent](staff:${agent.id})`, note_type: 'support' },
      admin,
    );

    const res = await t.request({ method: 'GET', url: '/api/crm/my-work', as: agent });
    expect(res.statusCode, res.body).toBe(200);
    const work = res.json<MyWork>();
    expect(work.tasks.data.map((x) => x.title)).toEqual(['Overdue follow-up', 'Call back']);
    expect(work.tickets.data.map((x) => x.subject)).toEqual(['Broken grinder']);
    expect(work.mentions.data).toHaveLength(1);
    expect(work.mentions.data[0]).toMatchObject({ kind: 'mention', link: `/customers/${mine.id}` });
    expect(work.customers.data.map((c) => c.id)).toEqual([mine.id]);
    expect(work.customers.total).toBe(1);

    // a read mention leaves the list
    await sql`update notifications set read_at = now() where recipient_id = ${agent.id}`.execute(
      t.database.db,
    );
    const after = (await t.request({ method: 'GET', url: '/api/crm/my-work', as: agent })).json<MyWork>();
    expect(after.mentions.data).toEqual([]);
  });

  it('needs a signed-in user who can read customers', async () => {
    expect((await t.request({ method: 'GET', url: '/api/crm/my-work' })).statusCode).toBe(401);
  });
});
