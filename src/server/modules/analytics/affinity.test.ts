import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Affinity } from '../../../shared/analytics.js';
import type { Job, JobAccepted } from '../../../shared/jobs.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { AFFINITY_MIN_ORDERS, ensureAffinity, productAffinity } from './affinity.service.js';

/**
 * Product affinity counted by hand. Kept baskets (paid or fulfilled orders):
 *   A B · A B · A B C · A C · A C · A · B C · A C C (C on two lines) · D · D · D · D   = 12
 * plus a pending A B and a cancelled A B, which do not count.
 * Orders with A 7, B 4, C 5, D 4. Together: A+C 4, A+B 3, B+C 2 (under the minimum of 3).
 */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;
let agent: StaffHandle;
let viewer: StaffHandle;

const catalog = {
  A: { sku: 'AFF-A', name: 'Coffee beans', category: 'coffee', unit_price: 25 },
  B: { sku: 'AFF-B', name: 'Grinder', category: 'equipment', unit_price: 80 },
  C: { sku: 'AFF-C', name: 'Filter papers', category: 'coffee', unit_price: 5 },
  D: { sku: 'AFF-D', name: 'Mug', category: 'merch', unit_price: 12 },
};
type Key = keyof typeof catalog;

async function order(customerId: string, keys: Key[], status = 'paid') {
  await makeOrder(t, admin, customerId, {
    status,
    items: keys.map((k) => ({ ...catalog[k], quantity: 1 })),
  });
}

const N = 12;
const expected = {
  'AFF-C>AFF-A': { together: 4, support: 4 / N, confidence: 4 / 5, lift: (4 * N) / (7 * 5) },
  'AFF-A>AFF-C': { together: 4, support: 4 / N, confidence: 4 / 7, lift: (4 * N) / (7 * 5) },
  'AFF-B>AFF-A': { together: 3, support: 3 / N, confidence: 3 / 4, lift: (3 * N) / (7 * 4) },
  'AFF-A>AFF-B': { together: 3, support: 3 / N, confidence: 3 / 7, lift: (3 * N) / (7 * 4) },
};

function checkRules(body: Affinity, keys: (keyof typeof expected)[]) {
  expect(body.rules.map((r) => `${r.product.sku}>${r.also_bought.sku}`)).toEqual(keys);
  for (const r of body.rules) {
    const want = expected[`${r.product.sku}>${r.also_bought.sku}` as keyof typeof expected];
    expect(r.orders_together).toBe(want.together);
    expect(r.support).toBeCloseTo(want.support, 12);
    expect(r.confidence).toBeCloseTo(want.confidence, 12);
    expect(r.lift).toBeCloseTo(want.lift, 12);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  agent = await t.staff('agent');
  viewer = await t.staff('viewer');
  const [c1, c2, c3] = [
    await makeCustomer(t, admin),
    await makeCustomer(t, admin),
    await makeCustomer(t, admin),
  ];
  await order(c1!.id, ['A', 'B']);
  await order(c1!.id, ['A', 'B'], 'fulfilled');
  await order(c1!.id, ['A', 'B', 'C']);
  await order(c2!.id, ['A', 'C']);
  await order(c2!.id, ['A', 'C']);
  await order(c2!.id, ['A']);
  await order(c3!.id, ['B', 'C']);
  await order(c3!.id, ['A', 'C', 'C']);
  for (let i = 0; i < 4; i++) await order(c3!.id, ['D']);
  await order(c3!.id, ['A', 'B'], 'pending');
  await order(c3!.id, ['A', 'B'], 'cancelled');
});
afterAll(() => t?.close());

describe('product affinity', () => {
  it('answers computed_at null and no rules before the first recompute of a large shop', async () => {
    // a shop above the inline limit waits for the job (the limit lowered to 0 stands for "large")
    expect(await ensureAffinity(t.database.db, 0)).toBeUndefined();
    const deps = { db: t.database.db } as Parameters<typeof productAffinity>[0];
    const empty = await productAffinity(deps, { min_support: 0, sort: 'lift', limit: 50 }, 0);
    expect(empty).toEqual({ computed_at: null, orders: 0, rules: [] });
  });

  it('lets only analytics:manage start a recompute', async () => {
    for (const who of [viewer, agent]) {
      const res = await t.request({
        method: 'POST',
        url: '/api/crm/analytics/products/affinity/recompute',
        as: who,
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const anon = await t.request({ method: 'POST', url: '/api/crm/analytics/products/affinity/recompute' });
    expect(anon.statusCode).toBe(401);
  });

  it('recomputes in a job that the manager follows to its result', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/crm/analytics/products/affinity/recompute',
      as: manager,
    });
    expect(res.statusCode).toBe(202);
    const accepted = res.json<JobAccepted>();
    expect(accepted).toMatchObject({ status: 'queued', status_url: `/api/crm/jobs/${accepted.job_id}` });
    expect(await t.app.workers.runner.runDue()).toBeGreaterThanOrEqual(1);
    const job = (await t.request({ method: 'GET', url: accepted.status_url, as: manager })).json<Job>();
    expect(job).toMatchObject({
      kind: 'analytics.affinity',
      status: 'succeeded',
      progress: { done: 1, total: 1 },
    });
    expect(job.result).toMatchObject({ orders: N, products: 4, rules: 4, min_orders: AFFINITY_MIN_ORDERS });
  });

  it('gives support, confidence and lift as counted by hand, sorted by lift', async () => {
    const res = await t.request({ method: 'GET', url: '/api/crm/analytics/products/affinity', as: viewer });
    expect(res.statusCode).toBe(200);
    const body = res.json<Affinity>();
    expect(body.orders).toBe(N);
    expect(body.computed_at).not.toBeNull();
    // lift ties (a rule and its reverse) go to the higher confidence
    checkRules(body, ['AFF-C>AFF-A', 'AFF-A>AFF-C', 'AFF-B>AFF-A', 'AFF-A>AFF-B']);
    expect(body.rules[0]!.product).toMatchObject({ sku: 'AFF-C', name: 'Filter papers' });
    expect(body.rules[0]!.also_bought).toMatchObject({ sku: 'AFF-A', name: 'Coffee beans' });
    // the repeated line counted once: C is in 5 orders, not 6
    const counts = await t.database.db
      .selectFrom('product_order_counts as c')
      .innerJoin('products as p', 'p.id', 'c.product_id')
      .select(['p.sku', 'c.orders'])
      .orderBy('p.sku')
      .execute();
    expect(counts).toEqual([
      { sku: 'AFF-A', orders: 7 },
      { sku: 'AFF-B', orders: 4 },
      { sku: 'AFF-C', orders: 5 },
      { sku: 'AFF-D', orders: 4 },
    ]);
  });

  it('sorts by confidence or support, filters by product and minimum support, limits', async () => {
    const get = async (query: string) =>
      (
        await t.request({ method: 'GET', url: `/api/crm/analytics/products/affinity?${query}`, as: agent })
      ).json<Affinity>();
    checkRules(await get('sort=confidence'), ['AFF-C>AFF-A', 'AFF-B>AFF-A', 'AFF-A>AFF-C', 'AFF-A>AFF-B']);
    checkRules(await get('sort=support'), ['AFF-C>AFF-A', 'AFF-A>AFF-C', 'AFF-B>AFF-A', 'AFF-A>AFF-B']);
    checkRules(await get('min_support=0.3'), ['AFF-C>AFF-A', 'AFF-A>AFF-C']);
    checkRules(await get('sort=confidence&limit=1'), ['AFF-C>AFF-A']);
    const a = await t.database.db
      .selectFrom('products')
      .select('id')
      .where('sku', '=', 'AFF-A')
      .executeTakeFirstOrThrow();
    checkRules(await get(`product_id=${a.id}`), ['AFF-A>AFF-C', 'AFF-A>AFF-B']);
  });

  it('refuses bad filters with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['product_id=coffee', 'product_id'],
      ['min_support=2', 'min_support'],
      ['sort=price', 'sort'],
      ['limit=0', 'limit'],
    ] as const) {
      const res = await t.request({
        method: 'GET',
        url: `/api/crm/analytics/products/affinity?${query}`,
        as: viewer,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(field);
    }
  });

  it('keeps the last run until the next recompute, which counts new orders', async () => {
    const c = await makeCustomer(t, admin);
    await order(c.id, ['B', 'C']);
    const before = (
      await t.request({ method: 'GET', url: '/api/crm/analytics/products/affinity', as: viewer })
    ).json<Affinity>();
    expect(before.orders).toBe(N);
    await t.request({ method: 'POST', url: '/api/crm/analytics/products/affinity/recompute', as: admin });
    await t.app.workers.runner.runDue();
    const after = (
      await t.request({ method: 'GET', url: '/api/crm/analytics/products/affinity', as: viewer })
    ).json<Affinity>();
    expect(after.orders).toBe(N + 1);
    // B and C now together in 3 orders: the pair passes the minimum
    expect(after.rules.map((r) => `${r.product.sku}>${r.also_bought.sku}`)).toContain('AFF-B>AFF-C');
    const bc = after.rules.find((r) => r.product.sku === 'AFF-B' && r.also_bought.sku === 'AFF-C')!;
    expect(bc.orders_together).toBe(3);
    expect(bc.confidence).toBeCloseTo(3 / 5, 12);
    expect(bc.lift).toBeCloseTo((3 * 13) / (5 * 6), 12);
  });
});

describe('the API document', () => {
  it('describes the affinity and recommendation routes', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/crm/analytics/products/affinity',
        '/api/crm/analytics/products/affinity/recompute',
        '/api/crm/customers/{id}/recommendations',
      ]),
    );
  });
});
