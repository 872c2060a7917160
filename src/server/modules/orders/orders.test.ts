import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerList, TimelineEvent } from '../../../shared/customers.js';
import type { Order, Product } from '../../../shared/orders.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** The orders API standing in for the platform's order management, and the product catalogue. */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;
let agent: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  agent = await t.staff('agent');
});
afterAll(() => t?.close());

type Reply = Awaited<ReturnType<TestApp['request']>>;

async function call<T>(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: Record<string, unknown>,
  as: StaffHandle = manager,
): Promise<{ res: Reply; body: T }> {
  const res = await t.request({ method, url, as, ...(payload ? { payload } : {}) });
  return { res, body: res.json<T>() };
}

/** An order, or a problem: both shapes share `status`, so the problem's fields come in optional. */
type OrderReply = Order & Partial<Pick<Problem, 'code' | 'detail' | 'errors'>>;
const post = (payload: Record<string, unknown>, as: StaffHandle = manager) =>
  call<OrderReply>('POST', '/api/orders', payload, as);
const profile = async (id: string) => (await call<Customer>('GET', `/api/crm/customers/${id}`)).body;
const item = (sku = 'ORD-1', unit_price = 10, quantity = 1) => ({ sku, quantity, unit_price });

async function orderCount(where: { external_id?: string; customer_id?: string }) {
  let q = t.database.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.external_id) q = q.where('external_id', '=', where.external_id);
  if (where.customer_id) q = q.where('customer_id', '=', where.customer_id);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

describe('placing an order', () => {
  it('by customer id: 201 with items and totals; the customer’s metrics follow', async () => {
    const c = await makeCustomer(t, admin);
    const { res, body } = await post({
      customer_id: c.id,
      placed_at: '2025-05-05T05:05:05+02:00',
      items: [
        { sku: 'TEA-1', name: 'Green tea', category: 'tea', quantity: 3, unit_price: 4.1 },
        { sku: 'CUP-1', quantity: 1, unit_price: 0.7 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(body).toMatchObject({
      customer_id: c.id,
      external_id: null,
      status: 'paid',
      currency: 'USD',
      total: 13,
      item_count: 4,
      placed_at: '2025-05-05T03:05:05.000Z',
      version: 1,
    });
    expect(
      body.items.map((i) => [i.sku, i.name, i.category, i.quantity, i.unit_price, i.line_total]),
    ).toEqual([
      ['CUP-1', 'CUP-1', null, 1, 0.7, 0.7],
      ['TEA-1', 'Green tea', 'tea', 3, 4.1, 12.3],
    ]);
    expect(await profile(c.id)).toMatchObject({
      total_orders: 1,
      lifetime_value: 13,
      average_order_value: 13,
      last_order_date: '2025-05-05T03:05:05.000Z',
      // its only order is more than a year old: lost, by the default lifecycle rules
      lifecycle_stage: 'lost',
      customer_status: 'active',
    });
    const fetched = await call<Order>('GET', `/api/orders/${body.id}`);
    expect(fetched.body).toEqual(body);
  });

  it('money is exact: cents add up without floating-point drift', async () => {
    const c = await makeCustomer(t, admin);
    const { body } = await post({
      customer_id: c.id,
      items: [item('DRIFT-1', 0.1, 3), item('DRIFT-2', 0.2, 1), item('DRIFT-3', 19.99, 7)],
    });
    expect(body.total).toBe(140.43);
    expect(body.items.find((i) => i.sku === 'DRIFT-3')!.line_total).toBe(139.93);
    const row = await t.database.db
      .selectFrom('orders')
      .select('total')
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row.total).toBe('140.43');
  });

  it('by the email of a known customer, in any case', async () => {
    const c = await makeCustomer(t, admin, { email: 'Known.Buyer@Orders.example' });
    const { res, body } = await post({ customer_email: 'known.buyer@orders.EXAMPLE', items: [item()] });
    expect(res.statusCode).toBe(201);
    expect(body.customer_id).toBe(c.id);
  });

  it('by an unknown email: a new customer starts with this first order', async () => {
    const { res, body } = await post({
      customer_email: 'guest@orders.example',
      items: [item('GUEST-1', 42)],
    });
    expect(res.statusCode).toBe(201);
    const guest = await profile(body.customer_id);
    expect(guest).toMatchObject({
      email: 'guest@orders.example',
      acquisition_source: 'order',
      total_orders: 1,
      lifetime_value: 42,
      lifecycle_stage: 'customer',
    });
    const timeline = await call<{ data: TimelineEvent[] }>('GET', `/api/crm/customers/${guest.id}/timeline`);
    expect(timeline.body.data.map((e) => e.kind).sort()).toEqual([
      'customer_created',
      'order_placed',
      'stage_changed',
    ]);
    // the next order by that email goes to the same customer
    const again = await post({ customer_email: 'GUEST@orders.example', items: [item('GUEST-1', 8)] });
    expect(again.body.customer_id).toBe(guest.id);
    expect((await profile(guest.id)).lifetime_value).toBe(50);
  });

  it('an unknown SKU creates its product; a known SKU keeps its product', async () => {
    const c = await makeCustomer(t, admin);
    const { body } = await post({
      customer_id: c.id,
      items: [{ sku: 'NEW-SKU-9', name: 'Fresh thing', category: 'new', quantity: 2, unit_price: 3.5 }],
    });
    const product = await t.database.db
      .selectFrom('products')
      .selectAll()
      .where('sku', '=', 'NEW-SKU-9')
      .executeTakeFirstOrThrow();
    expect(product).toMatchObject({ name: 'Fresh thing', category: 'new', price: '3.50' });
    expect(body.items[0]!.product_id).toBe(product.id);
    const second = await post({
      customer_id: c.id,
      items: [{ sku: 'NEW-SKU-9', quantity: 1, unit_price: 4 }],
    });
    expect(second.body.items[0]).toMatchObject({
      product_id: product.id,
      name: 'Fresh thing',
      category: 'new',
    });
    const count = await t.database.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sku', '=', 'NEW-SKU-9')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('normalises the currency to upper case', async () => {
    const c = await makeCustomer(t, admin);
    const { res, body } = await post({ customer_id: c.id, currency: 'eur', items: [item()] });
    expect(res.statusCode).toBe(201);
    expect(body.currency).toBe('EUR');
  });

  it('pending, cancelled and refunded orders do not count in metrics', async () => {
    const c = await makeCustomer(t, admin);
    for (const status of ['pending', 'cancelled', 'refunded']) {
      const { body } = await post({ customer_id: c.id, status, items: [item('NC-1', 99)] });
      expect(body.status).toBe(status);
    }
    await post({ customer_id: c.id, status: 'fulfilled', items: [item('NC-1', 1)] });
    expect(await profile(c.id)).toMatchObject({ total_orders: 1, lifetime_value: 1 });
  });

  it('is idempotent on external_id: a repeat is a 200 with the same order, counted once', async () => {
    const c = await makeCustomer(t, admin);
    const payload = { customer_id: c.id, external_id: 'SHOP-1001', items: [item('IDEM-1', 25, 2)] };
    const first = await post(payload);
    expect(first.res.statusCode).toBe(201);
    const second = await post({ ...payload, items: [item('IDEM-1', 999, 9)] });
    expect(second.res.statusCode).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await orderCount({ external_id: 'SHOP-1001' })).toBe(1);
    expect(await profile(c.id)).toMatchObject({ total_orders: 1, lifetime_value: 50 });
  });

  it('concurrent duplicates of one external_id make one order', async () => {
    const c = await makeCustomer(t, admin);
    const payload = { customer_id: c.id, external_id: 'SHOP-RACE', items: [item('RACE-1', 10)] };
    const results = await Promise.all(Array.from({ length: 6 }, () => post(payload)));
    const statuses = results.map((r) => r.res.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await orderCount({ external_id: 'SHOP-RACE' })).toBe(1);
    expect(await profile(c.id)).toMatchObject({ total_orders: 1, lifetime_value: 10 });
  });

  it('concurrent orders of one customer keep the metrics exact', async () => {
    const c = await makeCustomer(t, admin);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post({ customer_id: c.id, items: [item(`CONC-${i % 3}`, i + 1)] })),
    );
    expect(results.map((r) => r.res.statusCode)).toEqual(Array(8).fill(201));
    expect(await profile(c.id)).toMatchObject({
      total_orders: 8,
      lifetime_value: 36,
      average_order_value: 4.5,
    });
    const changed = await sql<{ n: number }>`select crm_recompute_all_metrics() as n`.execute(t.database.db);
    expect(Number(changed.rows[0]!.n)).toBe(0);
  });

  it('concurrent first orders from one new email make one customer with every order', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post({ customer_email: 'racing.guest@orders.example', items: [item('RACE-GUEST', i + 1)] }),
      ),
    );
    expect(results.map((r) => r.res.statusCode)).toEqual(Array(6).fill(201));
    const customers = new Set(results.map((r) => r.body.customer_id));
    expect(customers.size).toBe(1);
    const [id] = [...customers];
    expect(await profile(id!)).toMatchObject({
      email: 'racing.guest@orders.example',
      total_orders: 6,
      lifetime_value: 21,
    });
    const created = await call<{ data: TimelineEvent[] }>(
      'GET',
      `/api/crm/customers/${id}/timeline?kind=customer_created`,
    );
    expect(created.body.data).toHaveLength(1);
  });

  it.each([
    [{ items: [{ sku: 'X', quantity: 1, unit_price: 1 }] }, 'customer_id'],
    [{ customer_id: 'not-a-uuid', items: [{ sku: 'X', quantity: 1, unit_price: 1 }] }, 'customer_id'],
    [{ customer_email: 'nope', items: [{ sku: 'X', quantity: 1, unit_price: 1 }] }, 'customer_email'],
    [{ customer_email: 'a@b.example', items: [] }, 'items'],
    [{ customer_email: 'a@b.example' }, 'items'],
    [
      { customer_email: 'a@b.example', items: [{ sku: 'X', quantity: 0, unit_price: 1 }] },
      'items[0].quantity',
    ],
    [
      { customer_email: 'a@b.example', items: [{ sku: 'X', quantity: 1.5, unit_price: 1 }] },
      'items[0].quantity',
    ],
    [
      {
        customer_email: 'a@b.example',
        items: [
          { sku: 'X', quantity: 1, unit_price: 1 },
          { sku: 'Y', quantity: 1, unit_price: -1 },
        ],
      },
      'items[1].unit_price',
    ],
    [{ customer_email: 'a@b.example', items: [{ sku: ' ', quantity: 1, unit_price: 1 }] }, 'items[0].sku'],
    [{ customer_email: 'a@b.example', items: [{ quantity: 1, unit_price: 1 }] }, 'items[0].sku'],
    [
      { customer_email: 'a@b.example', status: 'shipped', items: [{ sku: 'X', quantity: 1, unit_price: 1 }] },
      'status',
    ],
    [
      { customer_email: 'a@b.example', currency: 'EURO', items: [{ sku: 'X', quantity: 1, unit_price: 1 }] },
      'currency',
    ],
    [
      { customer_email: 'a@b.example', currency: 'E1R', items: [{ sku: 'X', quantity: 1, unit_price: 1 }] },
      'currency',
    ],
    [
      {
        customer_email: 'a@b.example',
        placed_at: 'yesterday',
        items: [{ sku: 'X', quantity: 1, unit_price: 1 }],
      },
      'placed_at',
    ],
    [
      { customer_email: 'a@b.example', external_id: '', items: [{ sku: 'X', quantity: 1, unit_price: 1 }] },
      'external_id',
    ],
  ])('%j is a 400 naming %s', async (payload, field) => {
    const before = await orderCount({});
    const { res, body } = await post(payload);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(body.errors?.map((e) => e.field)).toContain(field);
    expect(await orderCount({})).toBe(before);
  });

  it('an unknown customer id is a 400 naming customer_id, and writes nothing', async () => {
    const products = await t.database.db.selectFrom('products').select('sku').execute();
    const { res, body } = await post({
      customer_id: '00000000-0000-4000-8000-000000000000',
      items: [item('GHOST-SKU')],
    });
    expect(res.statusCode).toBe(400);
    expect(body.errors).toEqual([{ field: 'customer_id', message: expect.any(String) }]);
    expect(await t.database.db.selectFrom('products').select('sku').execute()).toEqual(products);
  });

  it('needs orders:write: an agent may read orders but not place them', async () => {
    const c = await makeCustomer(t, admin);
    expect((await post({ customer_id: c.id, items: [item()] }, agent)).res.statusCode).toBe(403);
    expect((await call('GET', '/api/orders', undefined, agent)).res.statusCode).toBe(200);
  });
});

describe('reading orders', () => {
  let a: Customer;
  let b: Customer;
  const placed: Order[] = [];

  beforeAll(async () => {
    a = await makeCustomer(t, admin);
    b = await makeCustomer(t, admin);
    for (let i = 0; i < 7; i++) {
      const { body } = await post({
        customer_id: i % 2 ? b.id : a.id,
        status: i === 3 ? 'pending' : 'paid',
        placed_at: `2020-01-0${i + 1}T00:00:00Z`,
        external_id: `READ-${i}`,
        items: [item('READ-1', i + 1)],
      });
      placed.push(body);
    }
    // two orders at the same moment: the id breaks the tie
    for (const id of ['READ-TIE-A', 'READ-TIE-B']) {
      const { body } = await post({
        customer_id: a.id,
        placed_at: '2020-01-04T00:00:00Z',
        external_id: id,
        items: [item()],
      });
      placed.push(body);
    }
  });

  async function walk(query: string, limit: number) {
    const seen: Order[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const url: string = `/api/orders?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { res, body } = await call<{ data: Order[]; next_cursor: string | null }>('GET', url);
      expect(res.statusCode, res.body).toBe(200);
      expect(body.data.length).toBeLessThanOrEqual(limit);
      seen.push(...body.data);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    return seen;
  }

  it('lists newest first and pages without gaps or repeats', async () => {
    const all = await walk('', 2);
    const ids = all.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(await orderCount({}));
    for (const o of placed) expect(ids).toContain(o.id);
    const expected = await sql<{
      id: string;
    }>`select id::text as id from orders order by placed_at desc, id desc`.execute(t.database.db);
    expect(ids).toEqual(expected.rows.map((r) => r.id));
    expect(all.every((o) => o.items.length > 0)).toBe(true);
  });

  it('filters by customer and by status', async () => {
    const ofB = await walk(`&customer_id=${b.id}`, 2);
    expect(ofB.map((o) => o.external_id)).toEqual(['READ-5', 'READ-3', 'READ-1']);
    const paidOfA = await walk(`&customer_id=${a.id}&status=paid`, 2);
    const ties = placed.filter((o) => o.external_id?.startsWith('READ-TIE')).map((o) => o.id);
    const tieOrder = ties.sort().reverse(); // same placed_at: higher id first
    expect(paidOfA.map((o) => o.id)).toEqual([
      placed[6]!.id,
      placed[4]!.id,
      ...tieOrder,
      placed[2]!.id,
      placed[0]!.id,
    ]);
    const pendingOfB = await walk(`&status=pending&customer_id=${b.id}`, 10);
    expect(pendingOfB.map((o) => o.external_id)).toEqual(['READ-3']);
    const pending = await walk('&status=pending', 1);
    expect(pending.length).toBeGreaterThan(1);
    expect(pending.every((o) => o.status === 'pending')).toBe(true);
  });

  it('one order by id; unknown is 404, malformed 400', async () => {
    const { res, body } = await call<Order>('GET', `/api/orders/${placed[2]!.id}`);
    expect(res.statusCode).toBe(200);
    expect(body).toMatchObject({ external_id: 'READ-2', total: 3, items: [{ sku: 'READ-1', quantity: 1 }] });
    const missing = await call<Problem>('GET', '/api/orders/00000000-0000-4000-8000-000000000000');
    expect(missing.res.statusCode).toBe(404);
    expect(missing.body.code).toBe('not_found');
    const bad = await call<Problem>('GET', '/api/orders/42');
    expect(bad.res.statusCode).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('id');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['status=lost', 'status'],
    ['customer_id=abc', 'customer_id'],
    ['cursor=abc', 'cursor'],
  ])('?%s is a 400 naming %s', async (query, field) => {
    const { res, body } = await call<Problem>('GET', `/api/orders?${query}`);
    expect(res.statusCode).toBe(400);
    expect(body.errors?.[0]?.field).toBe(field);
  });
});

describe('changing an order’s status', () => {
  it('moves the metrics and writes an order_status_changed event', async () => {
    const c = await makeCustomer(t, admin);
    const a = (await post({ customer_id: c.id, external_id: 'PATCH-A', items: [item('P-1', 30)] })).body;
    const b = (await post({ customer_id: c.id, status: 'pending', items: [item('P-1', 70)] })).body;
    expect(await profile(c.id)).toMatchObject({ total_orders: 1, lifetime_value: 30 });

    const paid = await call<Order>('PATCH', `/api/orders/${b.id}`, { status: 'paid', version: b.version });
    expect(paid.res.statusCode).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', version: b.version + 1 });
    expect(await profile(c.id)).toMatchObject({
      total_orders: 2,
      lifetime_value: 100,
      average_order_value: 50,
    });

    const refunded = await call<Order>('PATCH', `/api/orders/${a.id}`, { status: 'refunded' });
    expect(refunded.body.status).toBe('refunded');
    expect(await profile(c.id)).toMatchObject({ total_orders: 1, lifetime_value: 70 });

    const events = await call<{ data: TimelineEvent[] }>(
      'GET',
      `/api/crm/customers/${c.id}/timeline?kind=order_status_changed`,
    );
    expect(events.body.data.map((e) => e.data)).toEqual([
      { order_id: a.id, from: 'paid', to: 'refunded' },
      { order_id: b.id, from: 'pending', to: 'paid' },
    ]);
    expect(events.body.data[0]!.summary).toContain('PATCH-A');
    expect(events.body.data[0]!.actor).toMatchObject({ id: manager.id });
  });

  it('the same status again changes nothing', async () => {
    const c = await makeCustomer(t, admin);
    const o = (await post({ customer_id: c.id, items: [item()] })).body;
    const same = await call<Order>('PATCH', `/api/orders/${o.id}`, { status: 'paid' });
    expect(same.res.statusCode).toBe(200);
    expect(same.body.version).toBe(o.version);
    const events = await call<{ data: TimelineEvent[] }>(
      'GET',
      `/api/crm/customers/${c.id}/timeline?kind=order_status_changed`,
    );
    expect(events.body.data).toEqual([]);
  });

  it('a stale version is a 409 with the current order, and changes nothing', async () => {
    const c = await makeCustomer(t, admin);
    const o = (await post({ customer_id: c.id, items: [item('STALE', 5)] })).body;
    await call('PATCH', `/api/orders/${o.id}`, { status: 'fulfilled', version: o.version });
    const stale = await call<Problem>('PATCH', `/api/orders/${o.id}`, {
      status: 'cancelled',
      version: o.version,
    });
    expect(stale.res.statusCode).toBe(409);
    expect(stale.body).toMatchObject({
      code: 'version_conflict',
      current: { id: o.id, status: 'fulfilled', version: o.version + 1 },
    });
    expect((await profile(c.id)).lifetime_value).toBe(5);
  });

  it('bad input is a 400 naming the field; an unknown order a 404', async () => {
    const c = await makeCustomer(t, admin);
    const o = (await post({ customer_id: c.id, items: [item()] })).body;
    const bad = await call<Problem>('PATCH', `/api/orders/${o.id}`, { status: 'lost' });
    expect(bad.res.statusCode).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('status');
    const badVersion = await call<Problem>('PATCH', `/api/orders/${o.id}`, { status: 'paid', version: 0 });
    expect(badVersion.body.errors?.[0]?.field).toBe('version');
    const missing = await call<Problem>('PATCH', '/api/orders/00000000-0000-4000-8000-000000000000', {
      status: 'paid',
    });
    expect(missing.res.statusCode).toBe(404);
  });
});

describe('products', () => {
  const product = (payload: Record<string, unknown>, as: StaffHandle = manager) =>
    call<Product & Problem>('POST', '/api/products', payload, as);

  beforeAll(async () => {
    for (const [sku, name, category] of [
      ['CAT-100', 'Catnip toy', 'pets'],
      ['CAT-200', 'Cat tree', 'pets'],
      ['DOG-100', 'Dog bowl', 'pets'],
      ['MUG-50%', 'Half-price mug', 'kitchen'],
      ['MUG_X', 'Mug X', 'kitchen'],
    ]) {
      const { res } = await product({ sku, name, category, price: 9.5 });
      expect(res.statusCode).toBe(201);
    }
  });

  it('creates a product: 201 with the stored record', async () => {
    const { res, body } = await product({ sku: ' NEW-1 ', name: 'New one', price: 12.345 });
    expect(res.statusCode).toBe(201);
    expect(body).toMatchObject({ sku: 'NEW-1', name: 'New one', category: null, price: 12.35 });
    expect(Date.parse(body.created_at)).not.toBeNaN();
  });

  it('a duplicate SKU is a 409 naming sku', async () => {
    const { res, body } = await product({ sku: 'CAT-100', name: 'Again', price: 1 });
    expect(res.statusCode).toBe(409);
    expect(body).toMatchObject({ code: 'duplicate', errors: [{ field: 'sku' }] });
  });

  it.each([
    [{ name: 'x', price: 1 }, 'sku'],
    [{ sku: 'A', name: '', price: 1 }, 'name'],
    [{ sku: 'A', name: 'x', price: -1 }, 'price'],
    [{ sku: 'A', name: 'x', price: 'free' }, 'price'],
    [{ sku: 'A', name: 'x', price: 1, category: '' }, 'category'],
  ])('%j is a 400 naming %s', async (payload, field) => {
    const { res, body } = await product(payload);
    expect(res.statusCode).toBe(400);
    expect(body.errors?.map((e) => e.field)).toContain(field);
  });

  it('an agent may read products but not create them', async () => {
    expect((await product({ sku: 'AGENT-1', name: 'x', price: 1 }, agent)).res.statusCode).toBe(403);
    expect((await call('GET', '/api/products', undefined, agent)).res.statusCode).toBe(200);
  });

  it('lists by SKU, page by page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const url: string = `/api/products?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { res, body } = await call<{ data: Product[]; next_cursor: string | null }>('GET', url);
      expect(res.statusCode).toBe(200);
      seen.push(...body.data.map((p) => p.sku));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    const all = await t.database.db.selectFrom('products').select('sku').orderBy('sku').execute();
    expect(seen).toEqual(all.map((p) => p.sku));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('searches SKU, name and category, case-insensitively, wildcards literal', async () => {
    const search = async (q: string) =>
      (await call<{ data: Product[] }>('GET', `/api/products?q=${encodeURIComponent(q)}`)).body.data.map(
        (p) => p.sku,
      );
    expect(await search('cat')).toEqual(expect.arrayContaining(['CAT-100', 'CAT-200']));
    expect((await search('cat')).every((s) => s.startsWith('CAT'))).toBe(true);
    expect(await search('BOWL')).toEqual(['DOG-100']);
    expect(await search('kitchen')).toEqual(['MUG-50%', 'MUG_X']);
    expect(await search('%')).toEqual(['MUG-50%']);
    expect(await search('_')).toEqual(['MUG_X']);
  });

  it('bad list parameters are 400s', async () => {
    for (const [q, field] of [
      ['limit=0', 'limit'],
      ['cursor=zzz', 'cursor'],
      [`q=${'x'.repeat(101)}`, 'q'],
    ]) {
      const { res, body } = await call<Problem>('GET', `/api/products?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(body.errors?.[0]?.field).toBe(field);
    }
  });
});

describe('the list sees order behaviour', () => {
  it('min_orders finds customers whose orders were placed through this API', async () => {
    const c = await makeCustomer(t, admin, { first_name: 'Frequent', last_name: 'Buyer' });
    for (let i = 0; i < 3; i++) await post({ customer_id: c.id, items: [item('FREQ', 1)] });
    const { body } = await call<CustomerList>('GET', '/api/crm/customers?min_orders=3&q=frequent');
    expect(body.data.map((r) => r.id)).toEqual([c.id]);
  });
});
