import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cohorts } from '../../../shared/analytics.js';
import type { Order } from '../../../shared/orders.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { dayOf, monthKey, placeOrder } from './retention.fixtures.js';

/**
 * GET /api/crm/analytics/cohorts: customers by the month of their first kept order, the share
 * ordering in each later month, revenue and repeat rate, from orders placed through the API.
 */
let t: TestApp;
let admin: StaffHandle;
let viewer: StaffHandle;
let aSecondMonth: Order;
let e: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  viewer = await t.staff('viewer');
  const customer = async () => (await makeCustomer(t, admin)).id;
  const [a, b, c, d] = [await customer(), await customer(), await customer(), await customer()];
  e = await customer();
  const f = await customer();
  // cohort three months back: A, B, C
  await placeOrder(t, admin, a, dayOf(3, 5), 40);
  aSecondMonth = await placeOrder(t, admin, a, dayOf(2, 7), 10);
  await placeOrder(t, admin, a, dayOf(0, 1, 0), 5);
  await placeOrder(t, admin, b, dayOf(3, 10, 9), 20);
  await placeOrder(t, admin, b, dayOf(3, 10, 15), 20); // same day: not a repeat purchase
  await placeOrder(t, admin, b, dayOf(1, 12), 30);
  await placeOrder(t, admin, c, dayOf(3, 20, 10), 50);
  await placeOrder(t, admin, c, dayOf(3, 20, 11), 50, 'fulfilled');
  // cohort two months back: D (a pending order before does not count), E (two days in one month)
  await placeOrder(t, admin, d, dayOf(3, 1), 100, 'pending');
  await placeOrder(t, admin, d, dayOf(2, 3), 60);
  await placeOrder(t, admin, d, dayOf(2, 3), 80, 'cancelled');
  await placeOrder(t, admin, d, dayOf(1, 4), 15);
  await placeOrder(t, admin, e, dayOf(2, 3), 25);
  await placeOrder(t, admin, e, dayOf(2, 20), 25);
  // F never kept an order: in no cohort
  await placeOrder(t, admin, f, dayOf(2, 9), 70, 'cancelled');
});
afterAll(() => t?.close());

async function cohorts(query: string, as = viewer) {
  const res = await t.request({ method: 'GET', url: `/api/crm/analytics/cohorts${query}`, as });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Cohorts>();
}

describe('GET /api/crm/analytics/cohorts', () => {
  it('counts each cohort, its revenue, the share ordering in each later month and its repeat rate', async () => {
    const body = await cohorts(`?from=${monthKey(3)}&months=4`);
    expect(body).toEqual({
      cohorts: [
        // A orders again in months 1 and 3, B in month 2; A and B bought on a later day, C did not
        {
          cohort: monthKey(3),
          customers: 3,
          revenue: 225,
          retention: [0.3333, 0.3333, 0.3333],
          repeat_rate: 0.6667,
        },
        // D orders again in month 1; D and E both bought on a second day
        { cohort: monthKey(2), customers: 2, revenue: 125, retention: [0.5, 0], repeat_rate: 1 },
        { cohort: monthKey(1), customers: 0, revenue: 0, retention: [0], repeat_rate: 0 },
        // the current month: no later month yet
        { cohort: monthKey(0), customers: 0, revenue: 0, retention: [], repeat_rate: 0 },
      ],
      // four of the five buyers bought on a second day
      repeat_purchase_rate: 0.8,
    });
  });

  it('shows the last twelve months by default, up to the current one', async () => {
    const body = await cohorts('');
    expect(body.cohorts.map((c) => c.cohort)).toEqual(Array.from({ length: 12 }, (_, i) => monthKey(11 - i)));
    expect(body.cohorts.find((c) => c.cohort === monthKey(3))).toMatchObject({ customers: 3, revenue: 225 });
    expect(body.cohorts[0]!.retention).toHaveLength(11);
    // months after the current one are not listed
    const ahead = await cohorts(`?from=${monthKey(1)}&months=6`);
    expect(ahead.cohorts.map((c) => c.cohort)).toEqual([monthKey(1), monthKey(0)]);
  });

  it('follows order changes: a refund, and an earlier first order moving a customer to another cohort', async () => {
    const refund = await t.request({
      method: 'PATCH',
      url: `/api/orders/${aSecondMonth.id}`,
      as: admin,
      payload: { status: 'refunded' },
    });
    expect(refund.statusCode).toBe(200);
    await placeOrder(t, admin, e, dayOf(4, 28), 10);
    const body = await cohorts(`?from=${monthKey(4)}&months=3`);
    expect(body.cohorts).toEqual([
      { cohort: monthKey(4), customers: 1, revenue: 60, retention: [0, 1, 0, 0], repeat_rate: 1 },
      {
        cohort: monthKey(3),
        customers: 3,
        revenue: 215,
        retention: [0, 0.3333, 0.3333],
        repeat_rate: 0.6667,
      },
      { cohort: monthKey(2), customers: 1, revenue: 75, retention: [1, 0], repeat_rate: 1 },
    ]);
    expect(body.repeat_purchase_rate).toBe(0.8);
  });

  it('is for analytics readers; bad queries are 400 problems naming the field', async () => {
    expect((await t.request({ method: 'GET', url: '/api/crm/analytics/cohorts' })).statusCode).toBe(401);
    for (const [query, field] of [
      ['?from=2025-13', 'from'],
      ['?from=2025-1', 'from'],
      ['?months=0', 'months'],
      ['?months=37', 'months'],
      ['?months=twelve', 'months'],
    ] as const) {
      const res = await t.request({ method: 'GET', url: `/api/crm/analytics/cohorts${query}`, as: viewer });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json<{ errors: { field: string }[] }>().errors.map((x) => x.field)).toEqual([field]);
    }
  });
});
