import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerList, TimelineEvent } from '../../../shared/customers.js';
import type { IngestResult } from '../../../shared/orders.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { testConfig } from '../../config.js';
import { signWebhook } from '../../platform/signed-webhook.js';

/** POST /api/orders/ingest: an external order system's batches, checked against the database. */
const secret = 'orders-webhook-secret-0123456789';
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;

beforeAll(async () => {
  t = await createTestApp({ ...testConfig(), ordersWebhookSecret: secret });
  admin = await t.staff('admin');
  agent = await t.staff('agent');
});
afterAll(() => t?.close());

const ingest = async (payload: unknown, as: StaffHandle = admin) => {
  const res = await t.request({ method: 'POST', url: '/api/orders/ingest', as, payload: payload as object });
  return { res, body: res.json<IngestResult & Partial<Problem>>() };
};
const profile = async (id: string) =>
  (await t.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin })).json<Customer>();
const line = (sku: string, unit_price: number, quantity = 1) => ({
  sku,
  name: `Product ${sku}`,
  category: 'tea',
  quantity,
  unit_price,
});

describe('ingesting a batch', () => {
  it('matches customers by id, user id and email, creates the unknown, and keeps metrics exact', async () => {
    const known = await makeCustomer(t, admin, { first_name: 'Known', email: 'known.ingest@example.test' });
    const { body, res } = await ingest({
      orders: [
        {
          external_id: 'ing-1',
          customer_id: known.id,
          placed_at: '2026-01-05T10:00:00Z',
          items: [line('T1', 12.5, 2)],
        },
        {
          external_id: 'ing-2',
          customer_email: 'KNOWN.ingest@example.test',
          placed_at: '2026-02-05T10:00:00Z',
          items: [line('T2', 10)],
          total: 14.99,
        },
        {
          external_id: 'ing-3',
          customer_email: 'guest.ingest@example.test',
          first_name: 'Gail',
          last_name: 'Guest',
          placed_at: '2026-03-01T09:00:00Z',
          items: [line('T1', 12.5)],
        },
        {
          external_id: 'ing-4',
          customer_email: 'guest.ingest@example.test',
          placed_at: '2026-01-20T09:00:00Z',
          status: 'pending',
          items: [line('T3', 40)],
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect({
      accepted: body.accepted,
      updated: body.updated,
      unchanged: body.unchanged,
      rejected: body.rejected,
    }).toEqual({
      accepted: 4,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });
    expect(body.customers_created).toBe(1);
    expect(body.results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    expect(body.results[1]?.customer_id).toBe(known.id);
    const guestId = body.results[2]!.customer_id!;
    expect(body.results[3]?.customer_id).toBe(guestId);

    const k = await profile(known.id);
    expect(k.total_orders).toBe(2);
    expect(k.lifetime_value).toBe(39.99); // 2 × 12.50 + the given total 14.99
    const g = await profile(guestId);
    expect(g.first_name).toBe('Gail');
    expect(g.total_orders).toBe(1); // the pending order does not count
    expect(g.lifetime_value).toBe(12.5);
    expect(g.lifecycle_stage).not.toBe('lead'); // a buyer now; which stage is up to the rules
    // one move for the batch, recorded as the per-order path records it
    const moves = (
      await t.request({
        method: 'GET',
        url: `/api/crm/customers/${guestId}/timeline?kind=stage_changed`,
        as: admin,
      })
    ).json<{ data: TimelineEvent[] }>().data;
    expect(moves.map((e) => e.summary)).toEqual([`Stage lead → ${g.lifecycle_stage}`]);
    const transitions = await t.database.db
      .selectFrom('lifecycle_transitions')
      .select(['from_stage', 'to_stage', 'source'])
      .where('customer_id', '=', guestId)
      .execute();
    expect(transitions).toEqual([{ from_stage: 'lead', to_stage: g.lifecycle_stage, source: 'auto' }]);
    // acquired at their earliest order in the batch, not at the time of the import
    expect(g.acquisition_date.slice(0, 10)).toBe('2026-01-20');
  });

  it('matches a platform user by user_id', async () => {
    const userId = '5b0c8a52-2f7b-4b7e-9c55-0d1f2a3b4c5d';
    await t.database.db
      .insertInto('auth.users')
      .values({ id: userId, email: 'platform.ingest@example.test' } as never)
      .execute();
    const created = await t.database.db
      .selectFrom('customers')
      .select('id')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const { body } = await ingest([
      {
        external_id: 'ing-user-1',
        user_id: userId,
        placed_at: '2026-04-01T08:00:00Z',
        items: [line('T1', 12.5)],
      },
    ]);
    expect(body.results[0]).toMatchObject({ outcome: 'accepted', customer_id: created.id });
  });

  it('is idempotent: the same batch again is unchanged; a changed order is updated and metrics follow', async () => {
    const c = await makeCustomer(t, admin, { email: 'repeat.ingest@example.test' });
    const batch = [
      { external_id: 'rep-1', customer_id: c.id, placed_at: '2026-05-01T10:00:00Z', items: [line('R1', 30)] },
      { external_id: 'rep-2', customer_id: c.id, placed_at: '2026-05-02T10:00:00Z', items: [line('R2', 20)] },
    ];
    expect((await ingest(batch)).body.accepted).toBe(2);
    const again = await ingest(batch);
    expect(again.body.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect((await profile(c.id)).lifetime_value).toBe(50);

    const changed = await ingest([
      { ...batch[0], status: 'refunded' },
      { ...batch[1], items: [line('R2', 20, 3)] },
    ]);
    expect(changed.body.results.map((r) => r.outcome)).toEqual(['updated', 'updated']);
    const p = await profile(c.id);
    expect(p.total_orders).toBe(1);
    expect(p.lifetime_value).toBe(60);
    const items = await t.database.db
      .selectFrom('order_items')
      .select(['quantity', 'line_total'])
      .where('order_id', '=', changed.body.results[1]!.order_id!)
      .execute();
    expect(items).toEqual([{ quantity: 3, line_total: '60.00' }]);
    const events = (
      await t.request({
        method: 'GET',
        url: `/api/crm/customers/${c.id}/timeline?kind=order_status_changed`,
        as: admin,
      })
    ).json<{ data: TimelineEvent[] }>().data;
    expect(events.map((e) => e.summary)).toEqual(['Order rep-1: paid → refunded']);
  });

  it('a repeat with the same lines in another order is unchanged', async () => {
    const c = await makeCustomer(t, admin, {});
    const lines = [line('Z-LINE', 1, 10), line('a-line', 5, 2), line('M-LINE', 2.5, 1)];
    const order = { external_id: 'lines-1', customer_id: c.id, placed_at: '2026-05-09T10:00:00Z' };
    expect((await ingest([{ ...order, items: lines }])).body.accepted).toBe(1);
    const again = await ingest([{ ...order, items: [...lines].reverse() }]);
    expect(again.body.results[0]?.outcome).toBe('unchanged');
    const changed = await ingest([{ ...order, items: [lines[0], lines[1]] }]);
    expect(changed.body.results[0]?.outcome).toBe('updated');
  });

  it('concurrent batches for the same customers keep their metrics exact', async () => {
    const people = await Promise.all(
      [1, 2, 3, 4, 5].map(() => makeCustomer(t, admin, { company: 'Concurrent Ingest' })),
    );
    const batch = (k: number) =>
      Array.from({ length: 40 }, (_, i) => ({
        external_id: `conc-${k}-${i}`,
        customer_id: people[i % people.length]!.id,
        placed_at: new Date(Date.UTC(2026, 5, 1 + (i % 28), k)).toISOString(),
        status: i % 7 === 0 ? 'cancelled' : 'paid',
        items: [line('C1', 1 + k, 1 + (i % 3))],
      }));
    const replies = await Promise.all([0, 1, 2, 3].map((k) => ingest(batch(k))));
    expect(replies.map((r) => r.body.accepted)).toEqual([40, 40, 40, 40]);
    for (const p of people) {
      const [truth] = await t.database.db
        .selectFrom('orders')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<string>('total').as('revenue')])
        .where('customer_id', '=', p.id)
        .where('status', 'in', ['paid', 'fulfilled'])
        .execute();
      const shown = await profile(p.id);
      expect(shown.total_orders).toBe(Number(truth?.n));
      expect(shown.lifetime_value).toBe(Number(truth?.revenue));
    }
  });

  it('rejects bad orders with reasons and stores the rest', async () => {
    const c = await makeCustomer(t, admin, {});
    const { body } = await ingest([
      { external_id: 'bad-ok', customer_id: c.id, placed_at: '2026-06-01T10:00:00Z', items: [line('B1', 5)] },
      { external_id: 'bad-items', customer_id: c.id, placed_at: '2026-06-01T10:00:00Z', items: [] },
      {
        external_id: 'bad-price',
        customer_id: c.id,
        placed_at: '2026-06-01T10:00:00Z',
        items: [{ sku: 'B1', quantity: 1, unit_price: -1 }],
      },
      {
        external_id: 'bad-customer',
        customer_id: '00000000-0000-4000-8000-000000000000',
        placed_at: '2026-06-01T10:00:00Z',
        items: [line('B1', 5)],
      },
      { external_id: 'bad-who', placed_at: '2026-06-01T10:00:00Z', items: [line('B1', 5)] },
      { external_id: 'bad-ok', customer_id: c.id, placed_at: '2026-06-02T10:00:00Z', items: [line('B1', 5)] },
      'not an order',
    ]);
    expect(body.results.map((r) => r.outcome)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    const fields = body.results.map((r) => r.errors?.[0]?.field);
    expect(fields).toEqual([
      undefined,
      'items',
      'items[0].unit_price',
      'customer_id',
      'customer_email',
      'external_id',
      'order',
    ]);
    expect(body.results[5]?.errors?.[0]?.message).toBe('Also sent as order 0 of this batch');
    expect(body.results[1]?.external_id).toBe('bad-items');
    expect((await profile(c.id)).total_orders).toBe(1);
  });

  it('takes NDJSON, rejecting a line that is not JSON', async () => {
    const c = await makeCustomer(t, admin, {});
    const lines = [
      JSON.stringify({
        external_id: 'nd-1',
        customer_id: c.id,
        placed_at: '2026-07-01T10:00:00Z',
        items: [line('N1', 7)],
      }),
      '{"external_id": "nd-2", broken',
      JSON.stringify({
        external_id: 'nd-3',
        customer_id: c.id,
        placed_at: '2026-07-02T10:00:00Z',
        items: [line('N1', 7)],
      }),
    ];
    const res = await t.request({
      method: 'POST',
      url: '/api/orders/ingest',
      as: admin,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${lines.join('\n')}\n`,
    });
    const body = res.json<IngestResult>();
    expect(body.results.map((r) => r.outcome)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(body.results[1]?.errors?.[0]?.message).toBe('Line 2 is not valid JSON');
    expect((await profile(c.id)).total_orders).toBe(2);
  });

  it('refuses an email erased on request', async () => {
    const c = await makeCustomer(t, admin, { email: 'erased.ingest@example.test' });
    const erased = await t.request({
      method: 'POST',
      url: `/api/crm/customers/${c.id}/erase`,
      as: admin,
      payload: { confirm: 'ERASE' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    const { body } = await ingest([
      {
        external_id: 'erased-1',
        customer_email: 'erased.ingest@example.test',
        placed_at: '2026-07-01T10:00:00Z',
        items: [line('E1', 7)],
      },
    ]);
    expect(body.results[0]?.outcome).toBe('rejected');
    expect(body.results[0]?.errors?.[0]?.field).toBe('customer_email');
  });

  it('more than 10,000 orders is a 400 naming orders; an agent may not ingest', async () => {
    const tooMany = await ingest({ orders: Array.from({ length: 10_001 }, () => ({})) });
    expect(tooMany.res.statusCode).toBe(400);
    expect(tooMany.body.errors?.[0]?.field).toBe('orders');
    const forbidden = await ingest([], agent);
    expect(forbidden.res.statusCode).toBe(403);
  });

  it('keeps automatic segments following ingested orders', async () => {
    const c = await makeCustomer(t, admin, { company: 'Ingest Segment Co' });
    const seg = await t.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: {
        name: 'Ingest repeat buyers',
        auto_update: true,
        criteria: {
          match: 'all',
          rules: [
            { field: 'company', op: 'eq', value: 'Ingest Segment Co' },
            { field: 'total_orders', op: 'gte', value: 2 },
          ],
        },
      },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const segmentId = seg.json<{ id: string }>().id;
    await ingest([
      { external_id: 'seg-1', customer_id: c.id, placed_at: '2026-08-01T10:00:00Z', items: [line('S1', 9)] },
      { external_id: 'seg-2', customer_id: c.id, placed_at: '2026-08-03T10:00:00Z', items: [line('S1', 9)] },
    ]);
    await t.app.workers.refreshSegments();
    const members = (
      await t.request({ method: 'GET', url: `/api/crm/segments/${segmentId}/customers`, as: admin })
    ).json<CustomerList>();
    expect(members.data.map((m) => m.id)).toEqual([c.id]);
  });
});

describe('the signed webhook', () => {
  const send = (raw: string, headers: Record<string, string>) =>
    t.request({
      method: 'POST',
      url: '/api/orders/ingest/webhook',
      headers: { 'content-type': 'application/json', ...headers },
      payload: raw,
    });

  it('ingests a batch signed with ORDERS_WEBHOOK_SECRET and refuses a bad signature', async () => {
    const c = await makeCustomer(t, admin, {});
    const raw = JSON.stringify([
      {
        external_id: 'hook-1',
        customer_id: c.id,
        placed_at: '2026-09-01T10:00:00Z',
        items: [line('H1', 11)],
      },
    ]);
    const ts = String(Math.floor(Date.now() / 1000));
    const bad = await send(raw, {
      'x-crm-timestamp': ts,
      'x-crm-signature': signWebhook('another-secret-0123456789', ts, raw),
    });
    expect(bad.statusCode).toBe(401);
    expect((await profile(c.id)).total_orders).toBe(0);
    const ok = await send(raw, { 'x-crm-timestamp': ts, 'x-crm-signature': signWebhook(secret, ts, raw) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<IngestResult>().accepted).toBe(1);
    expect((await profile(c.id)).total_orders).toBe(1);
  });

  it('answers 503 when no secret is configured', async () => {
    const other = await createTestApp();
    try {
      const res = await other.request({ method: 'POST', url: '/api/orders/ingest/webhook', payload: [] });
      expect(res.statusCode).toBe(503);
    } finally {
      await other.close();
    }
  });
});
