import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadList } from '../../../shared/communications.js';
import type { Customer } from '../../../shared/customers.js';
import type { Problem } from '../../../shared/problem.js';
import type { EmailsTable } from '../../db/schema.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** GET /communications/:customerId: threads, newest first, paged; addresses masked for viewers. */
let t: TestApp;
let admin: StaffHandle;
let viewer: StaffHandle;
let customer: Customer;
let other: Customer;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

/** An email row as the sending code stores it (the tests need mail without sending any). */
async function insertEmail(customerId: string, values: Partial<Insertable<EmailsTable>> = {}) {
  const id = randomUUID();
  return t.database.db
    .insertInto('emails')
    .values({
      id,
      customer_id: customerId,
      thread_id: id,
      direction: 'outbound',
      email_address: 'ada.lovelace@example.com',
      from_address: '"CRM console" <crm@localhost>',
      subject: 'Hello',
      body_text: 'Hello there',
      message_id: `${id}@crm.test`,
      status: 'sent',
      tracking_token: randomBytes(24).toString('base64url'),
      sent_at: values.created_at ?? new Date(),
      ...values,
    })
    .returning(['id', 'thread_id', 'message_id'])
    .executeTakeFirstOrThrow();
}

let a1: { id: string; thread_id: string };
let a2: { id: string };
let b1: { id: string; thread_id: string };
let c1: { id: string; thread_id: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  viewer = await t.staff('viewer');
  customer = await makeCustomer(t, admin, { first_name: 'Ada' });
  other = await makeCustomer(t, admin);

  // thread A: our mail 3 h ago, their reply 2 h ago; thread B: 1 h ago; thread C: 5 h ago
  a1 = await insertEmail(customer.id, { subject: 'Your order', created_at: hoursAgo(3) });
  a2 = await insertEmail(customer.id, {
    thread_id: a1.thread_id,
    direction: 'inbound',
    status: 'received',
    subject: 'Re: Your order',
    from_address: 'ada.lovelace@example.com',
    tracking: false,
    created_at: hoursAgo(2),
  });
  b1 = await insertEmail(customer.id, {
    subject: 'Spring sale',
    category: 'marketing',
    created_at: hoursAgo(1),
  });
  c1 = await insertEmail(customer.id, { subject: 'Welcome', created_at: hoursAgo(5) });
  await insertEmail(other.id, { subject: 'Not hers', created_at: hoursAgo(0.5) });

  await t.database.db
    .insertInto('email_events')
    .values([
      { email_id: a1.id, kind: 'delivered', source: 'track', occurred_at: hoursAgo(2.9) },
      { email_id: a1.id, kind: 'opened', source: 'pixel', occurred_at: hoursAgo(2.5) },
    ])
    .execute();
});
afterAll(() => t?.close());

async function list(query = '', as: StaffHandle = admin, customerId = customer.id) {
  const res = await t.request({ method: 'GET', url: `/api/crm/communications/${customerId}${query}`, as });
  return {
    status: res.statusCode,
    body: res.json<ThreadList & Omit<Partial<Problem>, 'status'>>(),
    raw: res.body,
  };
}

describe('GET /api/crm/communications/:customerId', () => {
  it('groups the customer’s emails into threads, newest activity first, messages oldest first', async () => {
    const { status, body, raw } = await list();
    expect(status, raw).toBe(200);
    expect(body.outbox).toBe(true);
    expect(body.next_cursor).toBeNull();
    expect(body.data.map((th) => [th.subject, th.message_count])).toEqual([
      ['Spring sale', 1],
      ['Your order', 2],
      ['Welcome', 1],
    ]);
    const a = body.data[1]!;
    expect(a.thread_id).toBe(a1.thread_id);
    expect(a.messages.map((m) => [m.id, m.direction, m.status])).toEqual([
      [a1.id, 'outbound', 'sent'],
      [a2.id, 'inbound', 'received'],
    ]);
    expect(Date.parse(a.last_at)).toBeCloseTo(hoursAgo(2).getTime(), -4);
    expect(a.messages[0]!.events.map((e) => e.kind)).toEqual(['delivered', 'opened']);
    expect(a.messages[0]!.events[0]).toMatchObject({ machine: false, machine_reason: null, link_url: null });
    expect(a.messages[1]!.events).toEqual([]);
    // addresses in full with customers:pii
    expect(a.messages[0]!.email_address).toBe('ada.lovelace@example.com');
    expect(a.messages[1]!.from_address).toBe('ada.lovelace@example.com');
    expect(body.data[0]!.messages[0]!.category).toBe('marketing');
  });

  it('pages by cursor over threads, each thread once', async () => {
    const first = await list('?limit=2');
    expect(first.body.data.map((th) => th.thread_id)).toEqual([b1.thread_id, a1.thread_id]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await list(`?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((th) => th.thread_id)).toEqual([c1.thread_id]);
    expect(second.body.next_cursor).toBeNull();
    // the page's messages are complete even when the thread is the last on the page
    expect(first.body.data[1]!.messages).toHaveLength(2);
  });

  it('breaks ties in time by thread id, so threads with the same time are neither lost nor repeated', async () => {
    const c = await makeCustomer(t, admin);
    const at = hoursAgo(1);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await insertEmail(c.id, { created_at: at })).thread_id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(
        `?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        admin,
        c.id,
      );
      seen.push(...page.body.data.map((th) => th.thread_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].sort().reverse());
  });

  it('masks the customer’s addresses without customers:pii, not ours', async () => {
    const { status, body } = await list('', viewer);
    expect(status).toBe(200);
    const a = body.data.find((th) => th.thread_id === a1.thread_id)!;
    expect(a.messages[0]!.email_address).toBe('a***@example.com');
    expect(a.messages[0]!.from_address).toBe('"CRM console" <crm@localhost>');
    expect(a.messages[1]!.email_address).toBe('a***@example.com');
    expect(a.messages[1]!.from_address).toBe('a***@example.com');
    expect(JSON.stringify(body)).not.toContain('ada.lovelace');
  });

  it('is an empty list for a customer without mail', async () => {
    const c = await makeCustomer(t, admin);
    const { status, body } = await list('', admin, c.id);
    expect(status).toBe(200);
    expect(body.data).toEqual([]);
  });

  it('answers 404 for an unknown customer, 400 naming customerId or cursor for bad input', async () => {
    expect((await list('', admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await list('', admin, 'not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(['customerId']);
    const badCursor = await list('?cursor=garbage');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors?.map((e) => e.field)).toEqual(['cursor']);
  });

  it('needs a signed-in user with customers:read', async () => {
    const res = await t.request({ method: 'GET', url: `/api/crm/communications/${customer.id}` });
    expect(res.statusCode).toBe(401);
  });
});
