import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recommendations } from '../../../shared/analytics.js';
import type { Customer } from '../../../shared/customers.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/**
 * Kept baskets (12): A B · A B · A B · A K · B P · P · E · E R · D · T by others, and the
 * customer's own A · A D; the customer's cancelled K does not count but K is still theirs.
 * Orders with A 6, B 4, E 2, D 2, P 2, K 1, R 1, T 1. The only pair in 3 orders is A+B:
 * A → B has confidence 3/6 and lift 3·12 / (6·4) = 1.5.
 */
let t: TestApp;
let admin: StaffHandle;
let viewer: StaffHandle;
let buyer: Customer;
let newcomer: Customer;

const catalog = {
  A: { sku: 'COF-1', name: 'Coffee beans', category: 'coffee', unit_price: 25 },
  E: { sku: 'ESP-1', name: 'Espresso beans', category: 'coffee', unit_price: 40 },
  R: { sku: 'RES-1', name: 'Reserve beans', category: 'coffee', unit_price: 60 },
  B: { sku: 'GRD-1', name: 'Grinder', category: 'equipment', unit_price: 80 },
  K: { sku: 'KET-1', name: 'Kettle', category: 'equipment', unit_price: 50 },
  D: { sku: 'MUG-1', name: 'Mug', category: 'merch', unit_price: 12 },
  T: { sku: 'TOT-1', name: 'Tote bag', category: 'merch', unit_price: 20 },
  P: { sku: 'TAB-1', name: 'Cleaning tablets', category: 'care', unit_price: 8 },
};
type Key = keyof typeof catalog;

async function order(customerId: string, keys: Key[], status = 'paid') {
  await makeOrder(t, admin, customerId, { status, items: keys.map((k) => ({ ...catalog[k], quantity: 1 })) });
}

const recommendationsOf = async (id: string, as = viewer) => {
  const res = await t.request({ method: 'GET', url: `/api/crm/customers/${id}/recommendations`, as });
  expect(res.statusCode).toBe(200);
  return res.json<Recommendations>();
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  viewer = await t.staff('viewer');
  const [o1, o2, o3] = [
    await makeCustomer(t, admin),
    await makeCustomer(t, admin),
    await makeCustomer(t, admin),
  ];
  await order(o1!.id, ['A', 'B']);
  await order(o1!.id, ['A', 'B']);
  await order(o2!.id, ['A', 'B']);
  await order(o2!.id, ['A', 'K']);
  await order(o2!.id, ['B', 'P']);
  await order(o3!.id, ['P']);
  await order(o3!.id, ['E']);
  await order(o3!.id, ['E', 'R']);
  await order(o3!.id, ['D']);
  await order(o3!.id, ['T']);
  buyer = await makeCustomer(t, admin);
  await order(buyer.id, ['A']);
  await order(buyer.id, ['A', 'D'], 'fulfilled');
  await order(buyer.id, ['K'], 'cancelled');
  newcomer = await makeCustomer(t, admin);
});
afterAll(() => t?.close());

describe('customer recommendations', () => {
  it('cross-sells from affinity, upsells in their categories, fills with popular products', async () => {
    const body = await recommendationsOf(buyer.id);
    expect(body.customer_id).toBe(buyer.id);
    expect(body.data).toEqual([
      {
        product_id: expect.any(String),
        sku: 'GRD-1',
        name: 'Grinder',
        category: 'equipment',
        price: 80,
        kind: 'cross_sell',
        score: 0.5,
        reason: 'Often bought with Coffee beans (lift 1.5)',
      },
      // coffee is where they spend most (50 against 12); above the 25 they pay there, most ordered
      // first; score = orders with it / product orders in coffee (A 6 + E 2 + R 1)
      expect.objectContaining({
        sku: 'ESP-1',
        kind: 'upsell',
        price: 40,
        score: 0.2222,
        reason: 'Higher-priced pick in coffee, where they spend most',
      }),
      expect.objectContaining({
        sku: 'RES-1',
        kind: 'upsell',
        score: 0.1111,
        reason: 'Higher-priced pick in coffee, where they spend most',
      }),
      expect.objectContaining({
        sku: 'TOT-1',
        kind: 'upsell',
        category: 'merch',
        score: 0.3333,
        reason: 'Higher-priced pick in merch, which they also buy',
      }),
      expect.objectContaining({
        sku: 'TAB-1',
        kind: 'popular',
        score: 0.1667,
        reason: 'Popular with other customers: in 17% of orders',
      }),
    ]);
    // never what they bought, even in a cancelled order (the kettle)
    const skus = body.data.map((r) => r.sku);
    for (const sku of ['COF-1', 'MUG-1', 'KET-1']) expect(skus).not.toContain(sku);
    expect(new Set(skus).size).toBe(skus.length);
  });

  it('gives a customer without orders the most ordered products', async () => {
    const body = await recommendationsOf(newcomer.id);
    expect(body.data.every((r) => r.kind === 'popular')).toBe(true);
    expect(body.data.map((r) => [r.sku, r.score])).toEqual([
      ['COF-1', 0.5],
      ['GRD-1', 0.3333],
      ['ESP-1', 0.1667],
      ['MUG-1', 0.1667],
      ['TAB-1', 0.1667],
      ['KET-1', 0.0833],
      ['RES-1', 0.0833],
      ['TOT-1', 0.0833],
    ]);
    expect(body.data[0]!.reason).toBe('Popular with other customers: in 50% of orders');
    expect(body.data[5]!.reason).toBe('Popular with other customers: in 8.3% of orders');
  });

  it('answers 404 for an unknown customer and 400 naming the field for an id that is not a UUID', async () => {
    const missing = await t.request({
      method: 'GET',
      url: '/api/crm/customers/00000000-0000-4000-8000-000000000000/recommendations',
      as: viewer,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const bad = await t.request({
      method: 'GET',
      url: '/api/crm/customers/nope/recommendations',
      as: viewer,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ status: 400, errors: [{ field: 'id' }] });
    const anon = await t.request({ method: 'GET', url: `/api/crm/customers/${buyer.id}/recommendations` });
    expect(anon.statusCode).toBe(401);
  });

  it('stops recommending a product once the customer buys it', async () => {
    await order(buyer.id, ['B']);
    const skus = (await recommendationsOf(buyer.id)).data.map((r) => r.sku);
    expect(skus).not.toContain('GRD-1');
    expect(skus).toContain('ESP-1');
  });
});
