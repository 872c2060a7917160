import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CustomerList, TimelineEvent } from '../../../shared/customers.js';
import { SEGMENT_INLINE_BUILD_LIMIT, type Segment, type SegmentReport } from '../../../shared/segments.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { refreshAutoSegments } from './segment-refresh.service.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/**
 * Automatic segments kept current: by the change triggers and the refresh loop, by the schedule
 * for rules relative to today, after RFM rescoring; and the segment report.
 */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
});
afterAll(() => t?.close());

async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
  const res = await t.request({ method, url, as: manager, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T>(), raw: res.body };
}

async function makeSegment(body: Record<string, unknown>): Promise<Segment> {
  const res = await call<Segment>('POST', '/api/crm/segments', body);
  expect(res.status, res.raw).toBe(201);
  return res.body;
}

const companyIs = (company: string, ...extra: Record<string, unknown>[]) => ({
  match: 'all',
  rules: [{ field: 'company', op: 'eq', value: company }, ...extra],
});

async function memberIds(id: string): Promise<string[]> {
  const res = await call<CustomerList>('GET', `/api/crm/segments/${id}/customers?limit=200`);
  return res.body.data.map((c) => c.id).sort();
}

/** The stored count and the real membership, which must always agree. */
async function counts(id: string) {
  const real = await sql<{ n: string | number }>`
    select count(*) as n from segment_members where segment_id = ${id}`.execute(t.database.db);
  const stored = await call<Segment>('GET', `/api/crm/segments/${id}`);
  return { stored: stored.body.customer_count, real: Number(real.rows[0]?.n) };
}

async function segmentEvents(customerId: string) {
  const res = await call<{ data: TimelineEvent[] }>(
    'GET',
    `/api/crm/customers/${customerId}/timeline?kind=segment_entered,segment_left`,
  );
  return res.body.data;
}

const refresh = () => t.app.workers.refreshSegments();

describe('re-evaluation after a change', () => {
  it('follows orders, tags, profile edits and stage changes for the customers touched only', async () => {
    const tag = await call<{ id: string }>('POST', '/api/crm/tags', {
      name: 'Refresh VIP',
      color: '#228be6',
    });
    const a = await makeCustomer(t, admin, { company: 'Refresh Co' });
    const b = await makeCustomer(t, admin, { company: 'Refresh Co' });
    const buyers = await makeSegment({
      name: 'Refresh buyers',
      auto_update: true,
      criteria: companyIs('Refresh Co', { field: 'total_orders', op: 'gte', value: 1 }),
    });
    const vips = await makeSegment({
      name: 'Refresh VIPs',
      auto_update: true,
      criteria: companyIs('Refresh Co', { field: 'tags', op: 'has_any', value: ['Refresh VIP'] }),
    });
    const atRisk = await makeSegment({
      name: 'Refresh at risk',
      auto_update: true,
      criteria: companyIs('Refresh Co', { field: 'lifecycle_stage', op: 'eq', value: 'at_risk' }),
    });
    await refresh();
    expect(await memberIds(buyers.id)).toEqual([]);

    // an order brings a in
    await makeOrder(t, admin, a.id);
    expect(await refresh()).toBeGreaterThan(0);
    expect(await memberIds(buyers.id)).toEqual([a.id]);
    expect(await counts(buyers.id)).toEqual({ stored: 1, real: 1 });

    // a tag brings b in, removing it takes b out
    const tagged = await t.request({
      method: 'POST',
      url: `/api/crm/customers/${b.id}/tags`,
      as: admin,
      payload: { tag_ids: [tag.body.id] },
    });
    expect(tagged.statusCode, tagged.body).toBe(200);
    await refresh();
    expect(await memberIds(vips.id)).toEqual([b.id]);
    await t.request({ method: 'DELETE', url: `/api/crm/customers/${b.id}/tags/${tag.body.id}`, as: admin });
    await refresh();
    expect(await memberIds(vips.id)).toEqual([]);
    expect(await counts(vips.id)).toEqual({ stored: 0, real: 0 });
    const events = await segmentEvents(b.id);
    expect(events.map((e) => e.kind)).toEqual(['segment_left', 'segment_entered']);
    expect(events[0]).toMatchObject({ data: { segment_id: vips.id, automatic: true } });

    // a stage set by hand
    const current = await call<{ version: number }>('GET', `/api/crm/customers/${b.id}`);
    const put = await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${b.id}`,
      as: admin,
      payload: { lifecycle_stage: 'at_risk', version: current.body.version },
    });
    expect(put.statusCode, put.body).toBe(200);
    await refresh();
    expect(await memberIds(atRisk.id)).toEqual([b.id]);

    // a profile edit takes a out of every Refresh Co segment
    const aNow = await call<{ version: number }>('GET', `/api/crm/customers/${a.id}`);
    await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${a.id}`,
      as: admin,
      payload: { company: 'Moved Co', version: aNow.body.version },
    });
    await refresh();
    expect(await memberIds(buyers.id)).toEqual([]);
    expect(await counts(buyers.id)).toEqual({ stored: 0, real: 0 });
  });

  it('follows hand-picked membership of a manual segment another segment refers to', async () => {
    const c = await makeCustomer(t, admin, { company: 'Nested Co' });
    const manual = await makeSegment({ name: 'Nested hand-picked', auto_update: false });
    const auto = await makeSegment({
      name: 'Nested follower',
      auto_update: true,
      criteria: { match: 'all', rules: [{ field: 'segments', op: 'in', value: [manual.id] }] },
    });
    await call('POST', `/api/crm/segments/${manual.id}/members`, { customer_ids: [c.id] });
    await refresh();
    expect(await memberIds(auto.id)).toEqual([c.id]);
  });

  it('marks nothing while there are no automatic segments', async () => {
    const fresh = await createTestApp();
    try {
      const someone = await fresh.staff('admin');
      await makeCustomer(fresh, someone, { company: 'Quiet Co' });
      const marked = await sql<{ n: string | number }>`
        select count(*) as n from segment_dirty_customers`.execute(fresh.database.db);
      expect(Number(marked.rows[0]?.n)).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('keeps segments current within a second when the workers run', async () => {
    const live = await createTestApp({ workers: true });
    try {
      const someone = await live.staff('admin');
      const res = await live.request({
        method: 'POST',
        url: '/api/crm/segments',
        as: someone,
        payload: {
          name: 'Live buyers',
          auto_update: true,
          criteria: companyIs('Live Co', { field: 'total_orders', op: 'gte', value: 1 }),
        },
      });
      const segment = res.json<Segment>();
      const c = await makeCustomer(live, someone, { company: 'Live Co' });
      await makeOrder(live, someone, c.id);
      const ordered = Date.now();
      await vi.waitFor(
        async () => {
          const s = await live.request({
            method: 'GET',
            url: `/api/crm/segments/${segment.id}`,
            as: someone,
          });
          expect(s.json<Segment>().customer_count).toBe(1);
        },
        { timeout: 1000, interval: 25 },
      );
      expect(Date.now() - ordered).toBeLessThan(1000);
    } finally {
      await live.close();
    }
  });
});

describe('statistics after a large refresh', () => {
  it('analyzes segment_members once a refresh moved a tenth of it, as autoanalyze would', async () => {
    const db = t.database.db;
    await sql`insert into customers (first_name, company)
              select 'Stat ' || g, 'Stats Co' from generate_series(1, 120) g`.execute(db);
    const seg = await makeSegment({ name: 'Stats Co', auto_update: true, criteria: companyIs('Stats Co') });
    await sql`delete from segment_members where segment_id = ${seg.id}`.execute(db);
    await sql`analyze segment_members`.execute(db);
    const planned = async () =>
      Number(
        (
          await sql<{ n: number }>`
            select reltuples::float8 as n from pg_class where oid = 'segment_members'::regclass`.execute(db)
        ).rows[0]!.n,
      );
    const stored = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from segment_members`.execute(db)).rows[0]!.n);
    const before = await planned();
    expect(before).toBe(await stored());

    const result = await refreshAutoSegments(
      { database: t.database, db, config: t.config, jwt: null },
      { segment_ids: [seg.id] },
    );
    expect(result.added).toBe(120);
    // the planner sees the 120 new memberships, not the table as it was before the build
    expect(await planned()).toBe(before + 120);
    expect(await stored()).toBe(before + 120);
  });
});

describe('scheduled refresh', () => {
  it('re-evaluates rules relative to today on the schedule, once per period, and snapshots sizes', async () => {
    const c = await makeCustomer(t, admin, { company: 'Lapsed Co' });
    await makeOrder(t, admin, c.id);
    const lapsed = await makeSegment({
      name: 'Lapsed 30 days',
      auto_update: true,
      criteria: companyIs('Lapsed Co', { field: 'last_order_date', op: 'older_than_days', value: 30 }),
    });
    const plain = await makeSegment({
      name: 'Lapsed Co all',
      auto_update: true,
      criteria: companyIs('Lapsed Co'),
    });
    await refresh();
    expect(await memberIds(lapsed.id)).toEqual([]);

    // time passes: nothing about the customer changes, only the date it is compared with
    await sql`update customer_metrics set last_order_date = now() - interval '40 days' where customer_id = ${c.id}`.execute(
      t.database.db,
    );
    await sql`delete from segment_dirty_customers`.execute(t.database.db);
    await sql`delete from segment_members where segment_id = ${plain.id}`.execute(t.database.db);

    await sql`insert into jobs (kind, status, finished_at) values ('test.old', 'succeeded', now() - interval '40 days'),
              ('test.recent', 'succeeded', now() - interval '2 days')`.execute(t.database.db);
    // twice in the same period (a fixed instant, so a minute boundary cannot fall between them)
    const now = new Date();
    await t.app.workers.schedule(now);
    await t.app.workers.schedule(now);
    const kept = await sql<{ kind: string }>`select kind from jobs where kind like 'test.%'`.execute(
      t.database.db,
    );
    expect(kept.rows.map((r) => r.kind)).toEqual(['test.recent']);
    const jobs = await sql<{ kind: string; n: string | number }>`
      select kind, count(*) as n from jobs where dedupe_key is not null group by kind order by kind`.execute(
      t.database.db,
    );
    expect(jobs.rows.map((r) => [r.kind, Number(r.n)])).toEqual([
      ['analytics.affinity', 1],
      ['clv.fit', 1],
      ['scores.daily', 1],
      ['segments.refresh', 1],
      ['tasks.reminders', 1],
    ]);
    expect(await t.app.workers.runner.runDue()).toBeGreaterThanOrEqual(3);
    expect(await memberIds(lapsed.id)).toEqual([c.id]);
    expect(await counts(lapsed.id)).toEqual({ stored: 1, real: 1 });
    // the scheduled run leaves segments without relative rules alone
    expect(await memberIds(plain.id)).toEqual([]);

    const snap = await sql<{ customer_count: number }>`
      select customer_count from segment_snapshots where segment_id = ${lapsed.id} and day = current_date`.execute(
      t.database.db,
    );
    expect(snap.rows).toEqual([{ customer_count: 1 }]);
    const done = await sql<{
      status: string;
    }>`select status from jobs where kind = 'segments.refresh'`.execute(t.database.db);
    expect(done.rows.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('refreshes segments that read RFM scores after a rescore', async () => {
    const c = await makeCustomer(t, admin, { company: 'Scored Co' });
    await makeOrder(t, admin, c.id);
    const scored = await makeSegment({
      name: 'Scored Co with RFM',
      auto_update: true,
      criteria: companyIs('Scored Co', { field: 'rfm_recency', op: 'is_not_empty' }),
    });
    await sql`delete from customer_rfm`.execute(t.database.db);
    await call('POST', `/api/crm/segments/${scored.id}/refresh`);
    expect(await memberIds(scored.id)).toEqual([]);
    const rescored = await t.request({ method: 'POST', url: '/api/crm/analytics/rfm/rescore', as: admin });
    expect(rescored.statusCode, rescored.body).toBe(200);
    await t.app.workers.runner.runDue();
    expect(await memberIds(scored.id)).toEqual([c.id]);
  });
});

describe('large automatic segments', () => {
  it('are built in the background, reading building: true until the job has run', async () => {
    await sql`insert into customers (first_name, last_name, company)
              select 'Huge', 'Customer ' || g, 'Huge Co' from generate_series(1, ${SEGMENT_INLINE_BUILD_LIMIT + 1}) g`.execute(
      t.database.db,
    );
    const created = await makeSegment({ name: 'Huge Co', auto_update: true, criteria: companyIs('Huge Co') });
    expect(created).toMatchObject({ customer_count: 0, building: true });
    const listed = await call<{ data: Segment[] }>('GET', '/api/crm/segments');
    expect(listed.body.data.find((s) => s.id === created.id)?.building).toBe(true);

    await t.app.workers.runner.runDue();
    const built = await call<Segment>('GET', `/api/crm/segments/${created.id}`);
    expect(built.body).toMatchObject({ building: false, customer_count: SEGMENT_INLINE_BUILD_LIMIT + 1 });
    expect(await counts(created.id)).toEqual({
      stored: SEGMENT_INLINE_BUILD_LIMIT + 1,
      real: SEGMENT_INLINE_BUILD_LIMIT + 1,
    });

    // a small one is built in the request
    const small = await makeSegment({
      name: 'Huge Co, one',
      auto_update: true,
      criteria: companyIs('Huge Co', { field: 'last_name', op: 'eq', value: 'Customer 7' }),
    });
    expect(small).toMatchObject({ customer_count: 1, building: false });
  });
});

describe('segment report', () => {
  it('reports size over time, revenue share, averages, stages and tags from the members', async () => {
    const tag = await call<{ id: string }>('POST', '/api/crm/tags', { name: 'Report tag', color: '#40c057' });
    const big = await makeCustomer(t, admin, { company: 'Report Co' });
    const small = await makeCustomer(t, admin, { company: 'Report Co' });
    await makeOrder(t, admin, big.id, {
      items: [{ sku: 'R-1', name: 'Grinder', category: 'gear', quantity: 2, unit_price: 150 }],
    });
    await makeOrder(t, admin, small.id, {
      items: [{ sku: 'R-2', name: 'Filter', category: 'gear', quantity: 1, unit_price: 20 }],
    });
    await t.request({
      method: 'POST',
      url: `/api/crm/customers/${big.id}/tags`,
      as: admin,
      payload: { tag_ids: [tag.body.id] },
    });
    const s = await makeSegment({ name: 'Report Co', auto_update: true, criteria: companyIs('Report Co') });
    await sql`insert into segment_snapshots (segment_id, day, customer_count)
              values (${s.id}, current_date - 1, 1), (${s.id}, current_date - 400, 9)`.execute(t.database.db);

    const res = await call<SegmentReport>('GET', `/api/crm/segments/${s.id}/report?days=30`);
    expect(res.status, res.raw).toBe(200);
    const r = res.body;
    expect(r.customer_count).toBe(2);
    expect(r.size_history.map((p) => p.customer_count)).toEqual([1, 2]);
    const total = await sql<{
      v: string;
    }>`select sum(lifetime_value)::text as v from customer_metrics`.execute(t.database.db);
    expect(r.revenue.segment).toBe(320);
    expect(r.revenue.total).toBe(Number(total.rows[0]?.v));
    expect(r.revenue.share).toBeCloseTo(320 / Number(total.rows[0]?.v), 6);
    expect(r.averages).toEqual({ lifetime_value: 160, average_order_value: 160, total_orders: 1 });
    expect(r.lifecycle.find((l) => l.stage === 'customer')?.customers).toBe(2);
    expect(r.tags).toEqual([{ id: tag.body.id, name: 'Report tag', color: '#40c057', customers: 1 }]);

    expect((await call('GET', `/api/crm/segments/${s.id}/report?days=3`)).status).toBe(400);
    const missing = await call('GET', '/api/crm/segments/00000000-0000-4000-8000-000000000000/report');
    expect(missing.status).toBe(404);
  });
});
