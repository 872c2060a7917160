import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Churn } from '../../../shared/analytics.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { findWinBackFromModel } from './churn.queries.js';
import { dayMs, dayOf, monthKey, monthStart, placeOrder } from './retention.fixtures.js';

/**
 * GET /api/crm/analytics/churn: churn by month (no kept order for the lifecycle rules' 365 "lost
 * after" days), repeat-purchase rate, revenue by cohort and the win-back list, with and without a
 * fitted model, masked for those without customers:pii and anonymous for erased customers.
 */
let t: TestApp;
let admin: StaffHandle;
let viewer: StaffHandle;
const ids: Record<'x' | 'y' | 'z' | 'w' | 'v', string> = { x: '', y: '', z: '', w: '', v: '' };
/** Every kept order placed, per customer: what the reference computation below reads. */
const kept = new Map<string, Date[]>();

async function order(who: keyof typeof ids, at: Date, total: number) {
  await placeOrder(t, admin, ids[who], at, total);
  kept.set(
    ids[who],
    [...(kept.get(ids[who]) ?? []), at].sort((a, b) => a.getTime() - b.getTime()),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  viewer = await t.staff('viewer');
  const names = { x: 'Xavier Quill', y: 'Yara Moss', z: 'Zeno Park', w: 'Wanda Holt', v: 'Vera Lind' };
  for (const [key, name] of Object.entries(names)) {
    const [first_name, last_name] = name.split(' ');
    ids[key as keyof typeof ids] = (
      await makeCustomer(t, admin, {
        first_name,
        last_name,
        email: `${first_name!.toLowerCase()}@example.com`,
      })
    ).id;
  }
  await order('x', dayOf(14, 10), 500); // one order over a year ago: churned
  await order('y', dayOf(20, 5), 100); // churned, and back six months ago
  await order('y', dayOf(6, 5), 200);
  await order('z', dayOf(13, 15), 300); // two days thirteen months ago: churned
  await order('z', dayOf(13, 20), 50);
  await order('w', dayOf(2, 8), 40); // active
  await order('v', dayOf(18, 3), 1000); // the most valuable, churned, then erased
  await placeOrder(t, admin, ids.w, dayOf(9, 9), 900, 'cancelled'); // never counts
  const erased = await t.request({
    method: 'POST',
    url: `/api/crm/customers/${ids.v}/erase`,
    as: admin,
    payload: { confirm: 'ERASE' },
  });
  expect(erased.statusCode, erased.body).toBe(200);
});
afterAll(() => t?.close());

async function churn(query: string, as = viewer) {
  const res = await t.request({ method: 'GET', url: `/api/crm/analytics/churn${query}`, as });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Churn>();
}

/**
 * Churn by month computed straight from the orders, as the definition reads: active when the month
 * begins = a kept order in the `days` days before; churned in it = `days` after an order not
 * followed by another within that time runs out during the month.
 */
function reference(monthsAgo: number, days: number) {
  const s = monthStart(monthsAgo).getTime();
  const e = monthStart(monthsAgo - 1).getTime();
  const span = days * dayMs;
  let active = 0;
  let churned = 0;
  for (const orders of kept.values()) {
    if (orders.some((o) => o.getTime() < s && o.getTime() + span >= s)) active += 1;
    orders.forEach((o, i) => {
      const next = orders[i + 1];
      const end = o.getTime() + span;
      if ((!next || next.getTime() > end) && end >= s && end < e) churned += 1;
    });
  }
  return { month: monthKey(monthsAgo), active_at_start: active, churned };
}

describe('GET /api/crm/analytics/churn', () => {
  it('counts churn by complete month as the definition reads, with repeat rate and revenue by cohort', async () => {
    const body = await churn('?months=24');
    expect(body.inactive_days).toBe(365);
    // Yara and Zeno bought on a second day, Xavier, Wanda and the erased customer did not
    expect(body.repeat_purchase_rate).toBe(0.4);
    const expected = Array.from({ length: 24 }, (_, i) => reference(24 - i, 365));
    expect(body.over_time.map(({ churn_rate: _, ...m }) => m)).toEqual(expected);
    for (const m of body.over_time) {
      expect(m.churn_rate).toBe(
        m.active_at_start ? Math.round((m.churned / m.active_at_start) * 1e4) / 1e4 : 0,
      );
    }
    // Xavier churns 365 days after his only order, two months ago; Yara eight months ago
    expect(body.over_time.find((m) => m.month === monthKey(2))).toMatchObject({ churned: 1 });
    expect(body.over_time.find((m) => m.month === monthKey(8))!.churned).toBeGreaterThanOrEqual(1);
    expect(body.over_time.some((m) => m.month === monthKey(0))).toBe(false);
    expect(body.revenue_by_cohort).toHaveLength(24);
    expect(body.revenue_by_cohort.filter((c) => c.customers > 0)).toEqual([
      { cohort: monthKey(20), customers: 1, revenue: 300 },
      { cohort: monthKey(18), customers: 1, revenue: 1000 },
      { cohort: monthKey(14), customers: 1, revenue: 500 },
      { cohort: monthKey(13), customers: 1, revenue: 350 },
      { cohort: monthKey(2), customers: 1, revenue: 40 },
    ]);
  });

  it('lists lapsed customers by lifetime value before a model is fitted, masked without customers:pii', async () => {
    const masked = await churn('');
    expect(masked.win_back).toEqual([
      {
        customer_id: ids.v,
        name: 'Erased customer',
        email: null,
        lifetime_value: 1000,
        total_orders: 1,
        last_order_date: dayOf(18, 3).toISOString(),
        p_alive: null,
        value_at_risk: 1000,
      },
      expect.objectContaining({
        customer_id: ids.x,
        name: 'X*** Q***',
        email: 'x***@example.com',
        value_at_risk: 500,
      }),
      expect.objectContaining({
        customer_id: ids.z,
        name: 'Z*** P***',
        email: 'z***@example.com',
        value_at_risk: 350,
      }),
    ]);
    expect(masked.value_at_risk_total).toBe(1850);
    const plain = await churn('?limit=2', admin);
    expect(plain.win_back.map((c) => [c.name, c.email])).toEqual([
      ['Erased customer', null],
      ['Xavier Quill', 'xavier@example.com'],
    ]);
    expect(plain.value_at_risk_total).toBe(1500);
  });

  it('ranks by lifetime value × (1 − P(alive)) once a model has scored customers', async () => {
    const db = t.database.db;
    const model = await sql<{ id: string }>`
      insert into clv_models (duration_ms, calibration_start, calibration_end, observation_end, customers,
                              repeat_customers, r, alpha, a, b, bgnbd_log_likelihood, bgnbd_iterations, bgnbd_converged)
      values (1, '2024-01-01', '2025-01-01', '2025-06-01', 5, 2, 0.24, 4.4, 0.79, 2.4, -100, 10, true)
      returning id`.execute(db);
    const pAlive = { x: 0.1, y: 0.9, z: 0.5, w: 0.95, v: 0.2 };
    for (const [key, p] of Object.entries(pAlive)) {
      await sql`
        insert into customer_predictions (customer_id, model_id, frequency, recency_weeks, age_weeks, p_alive,
                                          expected_purchases_90d, expected_purchases_365d, predicted_value)
        values (${ids[key as keyof typeof ids]}, ${model.rows[0]!.id}, 0, 0, 10, ${p}, 0, 0, 0)`.execute(db);
    }
    const body = await churn('?limit=4', admin);
    // Vera 1000 × 0.8, Xavier 500 × 0.9, Zeno 350 × 0.5, Yara 300 × 0.1 (Wanda 40 × 0.05 is fifth)
    expect(body.win_back.map((c) => [c.customer_id, c.p_alive, c.value_at_risk])).toEqual([
      [ids.v, 0.2, 800],
      [ids.x, 0.1, 450],
      [ids.z, 0.5, 175],
      [ids.y, 0.9, 30],
    ]);
    expect(body.value_at_risk_total).toBe(1455);
    // the candidates read grow until the answer is certain: starting from one gives the same list
    for (const limit of [1, 2, 5]) {
      const grown = await findWinBackFromModel(db, limit, 1);
      expect(grown.map((r) => r.id)).toEqual([ids.v, ids.x, ids.z, ids.y, ids.w].slice(0, limit));
    }
  });

  it('is for analytics readers; bad queries are 400 problems naming the field', async () => {
    expect((await t.request({ method: 'GET', url: '/api/crm/analytics/churn' })).statusCode).toBe(401);
    for (const [query, field] of [
      ['?months=0', 'months'],
      ['?months=40', 'months'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?limit=many', 'limit'],
    ] as const) {
      const res = await t.request({ method: 'GET', url: `/api/crm/analytics/churn${query}`, as: viewer });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json<{ errors: { field: string }[] }>().errors.map((x) => x.field)).toEqual([field]);
    }
  });
});
