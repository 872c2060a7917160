import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClvFitReply, type CustomerInsights, churnRiskOf } from '../../../shared/analytics.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Insights over HTTP, every number worked out by hand from the orders placed here. */
let t: TestApp;
let admin: StaffHandle;
let viewer: StaffHandle;

const coffee = { sku: 'SKU-COF', name: 'Coffee beans', category: 'coffee', unit_price: 10 };
const tea = { sku: 'SKU-TEA', name: 'Green tea', category: 'tea', unit_price: 5 };
const mug = { sku: 'SKU-MUG', name: 'Mug', category: 'kitchen', unit_price: 15 };
const grinder = { sku: 'SKU-GRN', name: 'Burr grinder', category: 'equipment', unit_price: 60 };

async function insights(id: string, as: StaffHandle = admin) {
  return t.request({ method: 'GET', url: `/api/crm/customers/${id}/insights`, as });
}

async function insightsOf(id: string): Promise<CustomerInsights> {
  const res = await insights(id);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CustomerInsights>();
}

/** A regular: six kept orders on five days, and three that do not count. */
let regular: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  viewer = await t.staff('viewer');
  regular = (await makeCustomer(t, admin)).id;
  const order = (placed_at: string, items: object[], status = 'paid') =>
    makeOrder(t, admin, regular, { placed_at, items, status });
  // Mon 1 Jan, twice the same day: one purchase day
  await order('2024-01-01T10:00:00Z', [
    { ...coffee, quantity: 2 },
    { ...mug, quantity: 1 },
  ]); // 35
  await order('2024-01-01T18:00:00Z', [{ ...coffee, quantity: 1 }]); // 10
  await order('2024-01-11T09:00:00Z', [{ ...tea, quantity: 3 }]); // 15, Thu, +10 days
  await order('2024-02-10T12:00:00Z', [
    { ...coffee, quantity: 1 },
    { ...tea, quantity: 1 },
  ]); // 15, Sat, +30 days
  await order('2024-03-01T12:00:00Z', [{ ...grinder, quantity: 1 }], 'fulfilled'); // 60, Fri, +20 days
  // 31 March in the evening at UTC-2 is Monday 1 April in UTC: +31 days
  await order('2024-03-31T23:30:00-02:00', [{ ...coffee, quantity: 4 }]); // 40
  // not kept: cancelled, refunded, pending, and one refunded after it was paid
  await order(
    '2024-05-01T12:00:00Z',
    [{ sku: 'SKU-JNK', name: 'Junk', category: 'junk', quantity: 100, unit_price: 1 }],
    'cancelled',
  );
  await order('2024-06-01T12:00:00Z', [{ ...grinder, quantity: 9 }], 'refunded');
  await order('2024-06-02T12:00:00Z', [{ ...tea, quantity: 50 }], 'pending');
  const later = await order('2024-07-01T12:00:00Z', [{ ...mug, quantity: 20 }]);
  const patch = await t.request({
    method: 'PATCH',
    url: `/api/orders/${later.id}`,
    as: admin,
    payload: { status: 'refunded' },
  });
  expect(patch.statusCode, patch.body).toBe(200);
});
afterAll(() => t?.close());

describe('customer insights: order patterns', () => {
  it('counts kept orders, order days, intervals and the next expected order', async () => {
    const got = await insightsOf(regular);
    expect(got).toMatchObject({
      customer_id: regular,
      orders: 6,
      order_days: 5,
      first_order_date: '2024-01-01',
      last_order_date: '2024-04-01',
      // gaps 10, 30, 20, 31 days
      average_days_between_orders: 22.8,
      median_days_between_orders: 25,
      next_expected_order_date: '2024-04-26',
    });
  });

  it('counts orders per weekday (Monday first) and month (January first) in UTC', async () => {
    const got = await insightsOf(regular);
    expect(got.day_of_week).toEqual([3, 0, 0, 1, 1, 1, 0]);
    expect(got.month_of_year).toEqual([3, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('ranks favourite categories by orders then revenue, and products by quantity then orders', async () => {
    const got = await insightsOf(regular);
    expect(got.favourite_categories).toEqual([
      { category: 'coffee', orders: 4, revenue: 80 },
      { category: 'tea', orders: 2, revenue: 20 },
      { category: 'equipment', orders: 1, revenue: 60 },
      { category: 'kitchen', orders: 1, revenue: 15 },
    ]);
    expect(got.favourite_products.map(({ product_id, ...p }) => p)).toEqual([
      { sku: 'SKU-COF', name: 'Coffee beans', quantity: 8, orders: 4 },
      { sku: 'SKU-TEA', name: 'Green tea', quantity: 4, orders: 2 },
      // a tie on quantity and orders: by name
      { sku: 'SKU-GRN', name: 'Burr grinder', quantity: 1, orders: 1 },
      { sku: 'SKU-MUG', name: 'Mug', quantity: 1, orders: 1 },
    ]);
    for (const p of got.favourite_products) expect(p.product_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('compares the later half of their orders with the earlier half', async () => {
    const got = await insightsOf(regular);
    // 35, 10, 15 against 15, 60, 40: 20 → 38.33, +91.7%
    expect(got.spend_trend).toEqual({
      direction: 'rising',
      recent_average: 38.33,
      earlier_average: 20,
      change_pct: 91.7,
    });
  });

  it('leaves the middle order out of an odd count, and calls a fall', async () => {
    const c = (await makeCustomer(t, admin)).id;
    const totals = [100, 100, 1000, 50, 70];
    for (const [i, price] of totals.entries()) {
      await makeOrder(t, admin, c, {
        placed_at: `2024-0${i + 1}-15T12:00:00Z`,
        items: [{ ...coffee, quantity: 1, unit_price: price }],
      });
    }
    const got = await insightsOf(c);
    expect(got.spend_trend).toEqual({
      direction: 'falling',
      recent_average: 60,
      earlier_average: 100,
      change_pct: -40,
    });
  });

  it('shows the top five of each, and nothing to compare for a single order', async () => {
    const c = (await makeCustomer(t, admin)).id;
    const items = [1, 2, 3, 4, 5, 6, 7].map((k) => ({
      sku: `SKU-P${k}`,
      name: `Product ${k}`,
      category: `cat-${k}`,
      quantity: k,
      unit_price: 1,
    }));
    await makeOrder(t, admin, c, { placed_at: '2024-05-05T08:00:00Z', items }); // a Sunday in May
    const got = await insightsOf(c);
    expect(got.favourite_categories.map((x) => [x.category, x.orders, x.revenue])).toEqual([
      ['cat-7', 1, 7],
      ['cat-6', 1, 6],
      ['cat-5', 1, 5],
      ['cat-4', 1, 4],
      ['cat-3', 1, 3],
    ]);
    expect(got.favourite_products.map((x) => [x.sku, x.quantity])).toEqual([
      ['SKU-P7', 7],
      ['SKU-P6', 6],
      ['SKU-P5', 5],
      ['SKU-P4', 4],
      ['SKU-P3', 3],
    ]);
    expect(got).toMatchObject({
      orders: 1,
      order_days: 1,
      first_order_date: '2024-05-05',
      last_order_date: '2024-05-05',
      average_days_between_orders: null,
      median_days_between_orders: null,
      next_expected_order_date: null,
      day_of_week: [0, 0, 0, 0, 0, 0, 1],
      month_of_year: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
      spend_trend: { direction: 'unknown', recent_average: null, earlier_average: null, change_pct: null },
    });
  });

  it('answers for a customer without orders with empty patterns and no prediction', async () => {
    const c = (await makeCustomer(t, admin)).id;
    expect(await insightsOf(c)).toEqual({
      customer_id: c,
      orders: 0,
      order_days: 0,
      first_order_date: null,
      last_order_date: null,
      average_days_between_orders: null,
      median_days_between_orders: null,
      next_expected_order_date: null,
      favourite_categories: [],
      favourite_products: [],
      day_of_week: [0, 0, 0, 0, 0, 0, 0],
      month_of_year: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      spend_trend: { direction: 'unknown', recent_average: null, earlier_average: null, change_pct: null },
      prediction: null,
    });
  });
});

describe('customer insights: prediction', () => {
  it('is null before any model is fitted', async () => {
    expect((await insightsOf(regular)).prediction).toBeNull();
  });

  it('gives the fitted model’s numbers, the churn risk and the reasons in words', async () => {
    // a few more buyers, so the model has repeat customers to learn from
    for (const [k, days] of [
      [1, ['2024-01-05', '2024-02-05', '2024-03-05', '2024-04-05', '2024-05-05']],
      [2, ['2024-01-20', '2024-03-20']],
      [3, ['2024-02-01']],
      [4, ['2024-01-10', '2024-01-24', '2024-05-10']],
      [5, ['2024-03-03', '2024-04-14', '2024-04-28', '2024-05-12']],
    ] as const) {
      const c = (await makeCustomer(t, admin)).id;
      for (const day of days) {
        await makeOrder(t, admin, c, {
          placed_at: `${day}T12:00:00Z`,
          items: [{ ...tea, quantity: k, unit_price: 5 * k }],
        });
      }
    }
    const fit = await t.request({
      method: 'POST',
      url: '/api/crm/analytics/clv/fit',
      as: admin,
      payload: {},
    });
    expect(fit.statusCode, fit.body).toBe(200);
    const model = fit.json<ClvFitReply & { status: 'fitted' }>().model;
    const scored = await t.database.db
      .selectFrom('customer_predictions')
      .selectAll()
      .where('customer_id', '=', regular)
      .executeTakeFirstOrThrow();

    const res = await insights(regular);
    const today = new Date();
    const days = Math.round(
      (Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - Date.UTC(2024, 3, 1)) /
        86_400_000,
    );
    const got = res.json<CustomerInsights>().prediction!;
    expect(got).toMatchObject({
      p_alive: scored.p_alive,
      churn_risk: churnRiskOf(scored.p_alive),
      expected_purchases_90d: scored.expected_purchases_90d,
      expected_purchases_365d: scored.expected_purchases_365d,
      expected_order_value: scored.expected_order_value === null ? null : Number(scored.expected_order_value),
      predicted_value_12m: Number(scored.predicted_value),
      model_id: model.id,
      model_fitted_at: model.fitted_at,
    });
    // the model-free reasons word for word; the others as the model's numbers make them
    const { r, alpha } = model.bgnbd;
    const oftener = scored.frequency / scored.age_weeks >= r / alpha;
    expect(got.reasons).toHaveLength(4);
    expect(got.reasons.slice(0, 3)).toEqual([
      `Last ordered ${days.toLocaleString('en-US')} days ago, about ${Math.round(days / 25)}× their usual 25 days between orders`,
      `Has ordered 6 times, ${oftener ? 'more often than most customers' : 'less often than the average customer'}`,
      'Spends 92% more per order lately',
    ]);
    expect(got.reasons[3]).toMatch(
      /^(Not expected to order in the next 12 months|Expected to order about (once|[\d.]+ times) in the next 12 months(, worth about [\d,.]+ at [\d,.]+ an order)?)$/,
    );
  });

  it('is null for a customer the model did not score', async () => {
    const c = (await makeCustomer(t, admin)).id;
    await makeOrder(t, admin, c, { placed_at: '2024-05-05T08:00:00Z' });
    expect((await insightsOf(c)).prediction).toBeNull();
  });
});

describe('customer insights: access and errors', () => {
  it('is open to anyone who may read customers, and needs a sign-in', async () => {
    expect((await insights(regular, viewer)).statusCode).toBe(200);
    const anonymous = await t.request({ method: 'GET', url: `/api/crm/customers/${regular}/insights` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers 404 problem+json for an unknown customer and 400 for an id that is not a UUID', async () => {
    const missing = await insights('00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ status: 404, detail: 'Customer not found' });

    const bad = await insights('not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ status: 400, errors: [{ field: 'id' }] });
  });
});
