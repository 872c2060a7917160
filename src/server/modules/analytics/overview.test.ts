import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Overview } from '../../../shared/analytics.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { addDays } from '../../platform/dates.js';
import { dayMask } from './overview.queries.js';
import { daysAgo, isoDay, placeOrder } from './retention.fixtures.js';

/**
 * GET /api/crm/analytics/overview: a period against the one before, from orders placed through
 * the API at known days. The period below is the 30 days from 59 to 30 days ago; the previous one
 * the 30 days before that.
 */
let t: TestApp;
let admin: StaffHandle;
let viewer: StaffHandle;
const c: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  viewer = await t.staff('viewer');
  for (let i = 0; i < 8; i++) c.push((await makeCustomer(t, admin)).id);
  const [c1, c2, c3, c4, c5, c6, c7, c8] = c as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  await placeOrder(t, admin, c1, daysAgo(100), 10); // bought before both periods
  await placeOrder(t, admin, c1, daysAgo(50), 20);
  await placeOrder(t, admin, c1, daysAgo(45), 30);
  await placeOrder(t, admin, c2, daysAgo(70), 40); // new in the previous period
  await placeOrder(t, admin, c2, daysAgo(40), 60);
  await placeOrder(t, admin, c3, daysAgo(55, 9), 100); // new in the period, two orders one day
  await placeOrder(t, admin, c3, daysAgo(55, 17), 50);
  await placeOrder(t, admin, c4, daysAgo(80), 70); // new in the previous period only
  await placeOrder(t, admin, c5, daysAgo(35), 25); // new in the period, on two days
  await placeOrder(t, admin, c5, daysAgo(31), 25);
  await placeOrder(t, admin, c6, daysAgo(65), 15); // new in the previous period, on two days
  await placeOrder(t, admin, c6, daysAgo(62), 5);
  await placeOrder(t, admin, c7, daysAgo(50), 999, 'cancelled'); // never a buyer
  await placeOrder(t, admin, c8, daysAgo(420), 80); // lapses 55 days ago: churns in the period
  const values = [0, 49.99, 50, 120, 999.99, 1000, 5000, 20000];
  for (const [i, id] of c.entries()) {
    await sql`update customer_metrics set customer_value = ${values[i]} where customer_id = ${id}`.execute(
      t.database.db,
    );
  }
});
afterAll(() => t?.close());

async function overview(query: string, as = viewer) {
  const res = await t.request({ method: 'GET', url: `/api/crm/analytics/overview${query}`, as });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Overview>();
}

describe('GET /api/crm/analytics/overview', () => {
  it('compares a period with the one before it', async () => {
    const from = isoDay(daysAgo(59));
    const to = isoDay(daysAgo(30));
    const body = await overview(`?from=${from}&to=${to}`);
    expect(body.period).toEqual({ from, to });
    expect(body.previous_period).toEqual({ from: isoDay(daysAgo(89)), to: isoDay(daysAgo(60)) });
    expect(body.kpis).toEqual({
      // buyers by the end of each period: c1-c6 and c8, against c1, c2, c4, c6 and c8
      customers: { value: 7, previous: 5, change_pct: 40 },
      new_customers: { value: 2, previous: 3, change_pct: -33.3 },
      active_customers: { value: 4, previous: 3, change_pct: 33.3 },
      revenue: { value: 310, previous: 130, change_pct: 138.5 },
      orders: { value: 7, previous: 4, change_pct: 75 },
      average_order_value: { value: 44.29, previous: 32.5, change_pct: 36.3 },
      // c1, c2 (ordered before) and c5 (two days) of four; c6 of three
      repeat_rate: { value: 0.75, previous: 0.3333, change_pct: 125 },
      // c8 lapses in the period (one of five active at its start); nobody in the one before
      churn_rate: { value: 0.2, previous: 0, change_pct: null },
    });
    expect(body.revenue_by_day).toHaveLength(30);
    expect(body.revenue_by_day[0]!.date).toBe(from);
    expect(body.revenue_by_day.at(-1)!.date).toBe(to);
    expect(body.revenue_by_day.filter((d) => d.orders > 0)).toEqual([
      { date: isoDay(daysAgo(55)), revenue: 150, orders: 2 },
      { date: isoDay(daysAgo(50)), revenue: 20, orders: 1 },
      { date: isoDay(daysAgo(45)), revenue: 30, orders: 1 },
      { date: isoDay(daysAgo(40)), revenue: 60, orders: 1 },
      { date: isoDay(daysAgo(35)), revenue: 25, orders: 1 },
      { date: isoDay(daysAgo(31)), revenue: 25, orders: 1 },
    ]);
  });

  it('defaults to the last 30 days ending today', async () => {
    const body = await overview('');
    expect(body.period).toEqual({ from: isoDay(daysAgo(29)), to: isoDay(daysAgo(0)) });
    expect(body.previous_period).toEqual({ from: isoDay(daysAgo(59)), to: isoDay(daysAgo(30)) });
    expect(body.kpis.revenue).toEqual({ value: 0, previous: 310, change_pct: -100 });
    expect(body.kpis.active_customers).toEqual({ value: 0, previous: 4, change_pct: -100 });
    expect(body.kpis.customers).toEqual({ value: 7, previous: 7, change_pct: 0 });
    expect(body.kpis.average_order_value).toEqual({ value: 0, previous: 44.29, change_pct: -100 });
    // only from: the period runs to today
    const since = await overview(`?from=${isoDay(daysAgo(9))}`);
    expect(since.period).toEqual({ from: isoDay(daysAgo(9)), to: isoDay(daysAgo(0)) });
    expect(since.revenue_by_day).toHaveLength(10);
  });

  it('counts customers by predicted value band', async () => {
    const body = await overview('');
    expect(body.value_distribution).toEqual([
      { band: '0–50', min: 0, max: 50, customers: 2 },
      { band: '50–100', min: 50, max: 100, customers: 1 },
      { band: '100–250', min: 100, max: 250, customers: 1 },
      { band: '250–500', min: 250, max: 500, customers: 0 },
      { band: '500–1,000', min: 500, max: 1000, customers: 1 },
      { band: '1,000–2,500', min: 1000, max: 2500, customers: 1 },
      { band: '2,500–5,000', min: 2500, max: 5000, customers: 0 },
      { band: '5,000+', min: 5000, max: null, customers: 2 },
    ]);
  });

  it('is for analytics readers; bad queries are 400 problems naming the field', async () => {
    expect((await t.request({ method: 'GET', url: '/api/crm/analytics/overview' })).statusCode).toBe(401);
    for (const [query, field] of [
      ['?from=2025-02-30', 'from'],
      ['?to=yesterday', 'to'],
      ['?from=2025-03-02&to=2025-03-01', 'from'],
      ['?from=2020-01-01&to=2025-01-01', 'from'],
      [`?from=${isoDay(daysAgo(-5))}`, 'from'],
    ] as const) {
      const res = await t.request({ method: 'GET', url: `/api/crm/analytics/overview${query}`, as: viewer });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json<{ errors: { field: string }[] }>().errors.map((x) => x.field)).toEqual([field]);
    }
  });
});

describe('day masks', () => {
  it('select the days of a month inside a period', () => {
    expect(dayMask('2025-03-01', '2025-03-01', '2025-03-31')).toBe(2 ** 31 - 1);
    expect(dayMask('2025-03-01', '2025-02-10', '2025-03-03')).toBe(0b111);
    expect(dayMask('2025-03-01', '2025-03-30', '2025-04-10')).toBe(2 ** 29 + 2 ** 30);
    expect(dayMask('2025-03-01', '2025-03-05', '2025-03-05')).toBe(2 ** 4);
    expect(dayMask('2025-03-01', '2025-04-01', '2025-04-30')).toBe(0);
    expect(dayMask('2025-03-01', '2025-01-01', '2025-02-28')).toBe(0);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});
