import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, TimelineEvent } from '../../../shared/customers.js';
import type { Interaction, InteractionList } from '../../../shared/interactions.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Interactions over HTTP: CRUD, follow-up tasks, concurrency, permissions, bad input, timeline. */
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;
let otherAgent: StaffHandle;
let viewer: StaffHandle;
let customer: Customer;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  agent = await t.staff('agent');
  otherAgent = await t.staff('agent');
  viewer = await t.staff('viewer');
  customer = await makeCustomer(t, admin);
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

async function log(customerId: string, payload: Record<string, unknown>, as: StaffHandle = agent) {
  const res = await call<Interaction>('POST', `/api/crm/customers/${customerId}/interactions`, as, payload);
  expect(res.status, res.raw).toBe(201);
  return res.body;
}

const list = async (customerId: string, query = '', as: StaffHandle = agent) => {
  const res = await call<InteractionList>('GET', `/api/crm/customers/${customerId}/interactions${query}`, as);
  expect(res.status, res.raw).toBe(200);
  return res.body;
};

const tasksOf = (customerId: string) =>
  t.database.db
    .selectFrom('tasks')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();

describe('interactions CRUD', () => {
  it('logs an interaction with defaults, an author and a timeline event', async () => {
    const c = await makeCustomer(t, admin);
    const before = Date.now();
    const call1 = await log(c.id, {
      interaction_type: 'phone',
      subject: '  Delivery question ',
      description: 'Asked where the parcel is.',
      outcome: '',
    });
    expect(call1).toMatchObject({
      customer_id: c.id,
      interaction_type: 'phone',
      subject: 'Delivery question',
      description: 'Asked where the parcel is.',
      outcome: null,
      follow_up_date: null,
      follow_up_task_id: null,
      author: { id: agent.id },
      version: 1,
    });
    expect(Date.parse(call1.occurred_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(await tasksOf(c.id)).toHaveLength(0);

    const { body } = await call<{ data: TimelineEvent[] }>(
      'GET',
      `/api/crm/customers/${c.id}/timeline?kind=interaction_logged`,
      viewer,
    );
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      kind: 'interaction_logged',
      actor: { id: agent.id },
      summary: 'Phone call: Delivery question',
      data: { interaction_id: call1.id, interaction_type: 'phone', snippet: 'Asked where the parcel is.' },
    });
  });

  it('lists newest first by when they happened, with paging and a type filter', async () => {
    const c = await makeCustomer(t, admin);
    const old = await log(c.id, {
      interaction_type: 'email',
      subject: 'Old',
      occurred_at: '2025-01-01T10:00:00Z',
    });
    const mid = await log(c.id, {
      interaction_type: 'meeting',
      subject: 'Mid',
      occurred_at: '2025-06-01T10:00:00+02:00',
    });
    const now = await log(c.id, { interaction_type: 'chat', subject: 'Now' });
    expect(mid.occurred_at).toBe('2025-06-01T08:00:00.000Z');

    const all = await list(c.id, '', viewer);
    expect(all.data.map((i) => i.id)).toEqual([now.id, mid.id, old.id]);
    const page1 = await list(c.id, '?limit=2');
    expect(page1.data.map((i) => i.id)).toEqual([now.id, mid.id]);
    const page2 = await list(c.id, `?limit=2&cursor=${page1.next_cursor}`);
    expect(page2.data.map((i) => i.id)).toEqual([old.id]);
    expect(page2.next_cursor).toBeNull();
    expect((await list(c.id, '?interaction_type=meeting')).data.map((i) => i.id)).toEqual([mid.id]);
  });

  it('edits with a version check: 409 with the current interaction when stale', async () => {
    const i = await log(customer.id, { interaction_type: 'email', subject: 'Quote', outcome: 'Sent' });
    const ok = await call<Interaction>('PUT', `/api/crm/interactions/${i.id}`, agent, {
      subject: 'Quote v2',
      description: 'Discount added',
      version: 1,
    });
    expect(ok.status, ok.raw).toBe(200);
    expect(ok.body).toMatchObject({
      subject: 'Quote v2',
      description: 'Discount added',
      outcome: 'Sent',
      version: 2,
    });

    const cleared = await call<Interaction>('PUT', `/api/crm/interactions/${i.id}`, agent, {
      outcome: null,
      version: 2,
    });
    expect(cleared.body).toMatchObject({ outcome: null, version: 3 });

    const stale = await call('PUT', `/api/crm/interactions/${i.id}`, agent, { subject: 'Late', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.current).toMatchObject({ id: i.id, version: 3, subject: 'Quote v2' });
  });

  it('deletes an interaction', async () => {
    const i = await log(customer.id, { interaction_type: 'order', subject: 'Return' });
    const one = await call<Interaction>('GET', `/api/crm/interactions/${i.id}`, viewer);
    expect(one.body).toEqual(i);
    const del = await call<Interaction>('DELETE', `/api/crm/interactions/${i.id}`);
    expect(del.status).toBe(200);
    expect((await call('GET', `/api/crm/interactions/${i.id}`)).status).toBe(404);
    expect(del.body.id).toBe(i.id);
    expect((await list(customer.id)).data.find((x) => x.id === i.id)).toBeUndefined();
    expect((await call('DELETE', `/api/crm/interactions/${i.id}`)).status).toBe(404);
  });
});

describe('the customer timeline', () => {
  const timeline = async (customerId: string, kinds: string) => {
    const res = await call<{ data: TimelineEvent[] }>(
      'GET',
      `/api/crm/customers/${customerId}/timeline?kind=${kinds}`,
    );
    return res.body.data;
  };

  it('records edits with before and after, and deletions; saving nothing new records nothing', async () => {
    const c = await makeCustomer(t, admin);
    const i = await log(c.id, { interaction_type: 'phone', subject: 'Call', outcome: 'No answer' });
    await call('PUT', `/api/crm/interactions/${i.id}`, agent, {
      subject: 'Call back',
      outcome: 'Reached them',
      version: 1,
    });
    await call('PUT', `/api/crm/interactions/${i.id}`, agent, { subject: 'Call back', version: 2 });
    await call('DELETE', `/api/crm/interactions/${i.id}`, admin);
    const events = await timeline(c.id, 'interaction_updated,interaction_deleted');
    expect(events.map((e) => e.kind)).toEqual(['interaction_deleted', 'interaction_updated']);
    expect(events[1]?.data).toMatchObject({
      interaction_id: i.id,
      changes: {
        subject: { before: 'Call', after: 'Call back' },
        outcome: { before: 'No answer', after: 'Reached them' },
      },
    });
    expect(Object.keys(events[1]?.data.changes as object).sort()).toEqual(['outcome', 'subject']);
    expect(events[1]?.actor?.id).toBe(agent.id);
    expect(events[0]).toMatchObject({
      actor: { id: admin.id },
      data: { interaction_id: i.id, subject: 'Call back' },
    });
    expect(events[0]?.summary).toContain('Call back');
  });
});

describe('follow-up tasks', () => {
  it('creates a task for the creator when a follow-up date is given', async () => {
    const c = await makeCustomer(t, admin);
    const due = '2030-03-01T09:00:00.000Z';
    const i = await log(c.id, { interaction_type: 'meeting', subject: 'Renewal', follow_up_date: due });
    expect(i.follow_up_date).toBe(due);
    const tasks = await tasksOf(c.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: i.follow_up_task_id,
      title: 'Follow up: Renewal',
      assignee_id: agent.id,
      created_by: agent.id,
      done: false,
    });
    expect(tasks[0]?.due_at?.toISOString()).toBe(due);
    const { body } = await call<{ data: TimelineEvent[] }>('GET', `/api/crm/customers/${c.id}/timeline`);
    expect(body.data.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['interaction_logged', 'task_created']),
    );
  });

  it('creates a task when a follow-up is newly set on edit, not when it is saved again or moved', async () => {
    const c = await makeCustomer(t, admin);
    const i = await log(c.id, { interaction_type: 'phone', subject: 'Callback' });
    const set = await call<Interaction>('PUT', `/api/crm/interactions/${i.id}`, admin, {
      follow_up_date: '2030-01-02T10:00:00Z',
      version: 1,
    });
    expect(set.status, set.raw).toBe(200);
    let tasks = await tasksOf(c.id);
    expect(tasks).toHaveLength(1);
    // the follow-up is the editor's: here an administrator
    expect(tasks[0]).toMatchObject({
      id: set.body.follow_up_task_id,
      title: 'Follow up: Callback',
      assignee_id: admin.id,
    });

    await call('PUT', `/api/crm/interactions/${i.id}`, agent, {
      follow_up_date: '2030-01-02T10:00:00Z',
      version: 2,
    });
    await call('PUT', `/api/crm/interactions/${i.id}`, agent, {
      follow_up_date: '2030-02-02T10:00:00Z',
      version: 3,
    });
    tasks = await tasksOf(c.id);
    expect(tasks).toHaveLength(1);

    const cleared = await call<Interaction>('PUT', `/api/crm/interactions/${i.id}`, agent, {
      follow_up_date: null,
      version: 4,
    });
    expect(cleared.body.follow_up_date).toBeNull();
    await call('PUT', `/api/crm/interactions/${i.id}`, agent, {
      follow_up_date: '2030-03-03T10:00:00Z',
      version: 5,
    });
    expect(await tasksOf(c.id)).toHaveLength(2);
  });
});

describe('permissions', () => {
  it('lets only the author or an administrator edit or delete', async () => {
    const i = await log(customer.id, { interaction_type: 'chat', subject: 'Mine' });
    const url = `/api/crm/interactions/${i.id}`;
    const edit = await call('PUT', url, otherAgent, { subject: 'Theirs', version: 1 });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('forbidden');
    expect((await call('DELETE', url, otherAgent)).status).toBe(403);
    expect((await call('PUT', url, admin, { subject: 'Fixed', version: 1 })).status).toBe(200);
    expect((await call('DELETE', url, admin)).status).toBe(200);
  });

  it('lets a viewer read but not write', async () => {
    const i = await log(customer.id, { interaction_type: 'email', subject: 'Hello' });
    expect((await call('GET', `/api/crm/customers/${customer.id}/interactions`, viewer)).status).toBe(200);
    const payload = { interaction_type: 'email', subject: 'x' };
    expect(
      (await call('POST', `/api/crm/customers/${customer.id}/interactions`, viewer, payload)).status,
    ).toBe(403);
    expect(
      (await call('PUT', `/api/crm/interactions/${i.id}`, viewer, { subject: 'x', version: 1 })).status,
    ).toBe(403);
    expect((await call('DELETE', `/api/crm/interactions/${i.id}`, viewer)).status).toBe(403);
  });
});

describe('bad input and unknown ids', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ subject: 'x' }, 'interaction_type'],
    [{ interaction_type: 'fax', subject: 'x' }, 'interaction_type'],
    [{ interaction_type: 'email', subject: '  ' }, 'subject'],
    [{ interaction_type: 'email', subject: 'x'.repeat(201) }, 'subject'],
    [{ interaction_type: 'email', subject: 'x', follow_up_date: 'next tuesday' }, 'follow_up_date'],
    [{ interaction_type: 'email', subject: 'x', follow_up_date: '2030-13-45T10:00:00Z' }, 'follow_up_date'],
    [{ interaction_type: 'email', subject: 'x', occurred_at: 'yesterday' }, 'occurred_at'],
  ];
  for (const [payload, field] of cases) {
    it(`refuses ${JSON.stringify(payload).slice(0, 60)} naming ${field}`, async () => {
      const res = await call('POST', `/api/crm/customers/${customer.id}/interactions`, agent, payload);
      expect(res.status, res.raw).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    });
  }

  it('refuses a bad edit and creates no task for it', async () => {
    const c = await makeCustomer(t, admin);
    const i = await log(c.id, { interaction_type: 'email', subject: 'x' });
    const res = await call('PUT', `/api/crm/interactions/${i.id}`, agent, {
      follow_up_date: 'soon',
      version: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.field).toBe('follow_up_date');
    expect(await tasksOf(c.id)).toHaveLength(0);
  });

  it('answers 404 for unknown customers and interactions', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call('GET', `/api/crm/customers/${unknown}/interactions`)).status).toBe(404);
    const payload = { interaction_type: 'email', subject: 'x' };
    expect((await call('POST', `/api/crm/customers/${unknown}/interactions`, agent, payload)).status).toBe(
      404,
    );
    expect(
      (await call('PUT', `/api/crm/interactions/${unknown}`, agent, { subject: 'x', version: 1 })).status,
    ).toBe(404);
    expect((await call('DELETE', `/api/crm/interactions/${unknown}`)).status).toBe(404);
  });
});
