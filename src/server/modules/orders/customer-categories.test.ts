import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult } from '../../../shared/orders.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/**
 * customer_categories (what each customer bought, by category) is kept by triggers: new lines add
 * to it (migration 025), deleted lines and changed orders recount. After every kind of change it
 * must hold exactly what a recount of the customer's kept orders gives.
 */
let t: TestApp;
let admin: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
});
afterAll(() => t?.close());

type Row = { category: string; first_purchased_at: string; last_purchased_at: string; orders: number };

const stored = async (customerId: string) =>
  (
    await sql<Row>`
      select category, first_purchased_at::text, last_purchased_at::text, orders
      from customer_categories where customer_id = ${customerId} order by category`.execute(t.database.db)
  ).rows;

/** The same numbers from the orders themselves (crm_rebuild_customer_categories' query). */
const recounted = async (customerId: string) =>
  (
    await sql<Row>`
      select crm_normalize(oi.category) as category, min(o.placed_at)::text as first_purchased_at,
             max(o.placed_at)::text as last_purchased_at, count(distinct o.id)::int as orders
      from orders o join order_items oi on oi.order_id = o.id
      where o.customer_id = ${customerId} and o.status in ('paid', 'fulfilled')
        and oi.category is not null and crm_normalize(oi.category) <> ''
      group by 1 order by 1`.execute(t.database.db)
  ).rows;

const ingest = async (orders: object[]) => {
  const res = await t.request({ method: 'POST', url: '/api/orders/ingest', as: admin, payload: { orders } });
  expect(res.statusCode).toBe(200);
  const body = res.json<IngestResult>();
  expect(body.results.flatMap((r) => r.errors ?? [])).toEqual([]);
  return body;
};
/** A line; without a category it takes the product's (none for a new SKU). */
const line = (sku: string, category: string | null) => ({
  sku,
  name: sku,
  quantity: 1,
  unit_price: 5,
  ...(category === null ? {} : { category }),
});
const addLine = (orderId: string, sku: string, category: string) =>
  sql`
    insert into order_items (order_id, product_id, sku, name, category, quantity, unit_price, line_total)
    select ${orderId}, id, sku, name, ${category}, 1, 5, 5 from products where sku = ${sku}`.execute(
    t.database.db,
  );

describe('customer categories', () => {
  it('match a recount after new lines, extra lines, status changes, replaced lines and refunds', async () => {
    const customer = await makeCustomer(t, admin, {
      first_name: 'Cat',
      email: 'cat.categories@example.test',
    });
    const at = (day: string) => `2026-03-${day}T10:00:00.000Z`;
    const order = (external_id: string, day: string, items: object[], status = 'paid') => ({
      external_id,
      customer_id: customer.id,
      placed_at: at(day),
      status,
      items,
    });
    const expectExact = async (expected: Record<string, number>) => {
      const rows = await stored(customer.id);
      expect(rows).toEqual(await recounted(customer.id));
      expect(Object.fromEntries(rows.map((r) => [r.category, r.orders]))).toEqual(expected);
    };

    // two lines of one category on one order count that order once; spelling is normalised
    const first = await ingest([
      order('cat-a', '10', [line('CAT-T1', 'Tea'), line('CAT-T2', ' TEA'), line('CAT-C1', 'Coffee')]),
    ]);
    await expectExact({ tea: 1, coffee: 1 });
    const orderA = first.results[0]!.order_id!;

    // a line added later to the same order: a category it already had does not count it again
    await addLine(orderA, 'CAT-T1', 'tea');
    await expectExact({ tea: 1, coffee: 1 });
    await addLine(orderA, 'CAT-C1', 'Cocoa');
    await expectExact({ tea: 1, coffee: 1, cocoa: 1 });

    // a pending order's lines count once it is paid; an earlier order widens first_purchased_at
    await ingest([
      order('cat-b', '20', [line('CAT-T1', 'tea')], 'pending'),
      order('cat-c', '01', [line('CAT-T1', 'tea'), line('CAT-X', null)]),
    ]);
    await expectExact({ tea: 2, coffee: 1, cocoa: 1 });
    expect((await stored(customer.id)).find((r) => r.category === 'tea')!.first_purchased_at).toBe(
      (await recounted(customer.id)).find((r) => r.category === 'tea')!.first_purchased_at,
    );
    await ingest([order('cat-b', '20', [line('CAT-T1', 'tea')], 'paid')]);
    await expectExact({ tea: 3, coffee: 1, cocoa: 1 });

    // a repeat with other lines replaces them (delete, then insert)
    await ingest([order('cat-a', '10', [line('CAT-C1', 'coffee')])]);
    await expectExact({ tea: 2, coffee: 1 });

    // a refund takes the order's categories away
    await ingest([order('cat-c', '01', [line('CAT-T1', 'tea'), line('CAT-X', null)], 'refunded')]);
    await expectExact({ tea: 1, coffee: 1 });
  });

  it('count both orders when one statement brings lines of the same category for two of them', async () => {
    const customer = await makeCustomer(t, admin, {
      first_name: 'Two',
      email: 'two.categories@example.test',
    });
    await ingest(
      ['05', '06'].map((day) => ({
        external_id: `two-${day}`,
        customer_id: customer.id,
        placed_at: `2026-04-${day}T08:00:00.000Z`,
        items: [line('CAT-T1', 'tea'), line('CAT-T2', 'Tea')],
      })),
    );
    expect(await stored(customer.id)).toEqual(await recounted(customer.id));
    expect((await stored(customer.id)).map((r) => [r.category, r.orders])).toEqual([['tea', 2]]);
  });

  it('stay exact when two batches bring orders of the same customers at once', async () => {
    const customers = await Promise.all(
      [1, 2, 3].map((n) =>
        makeCustomer(t, admin, { first_name: `Racer${n}`, email: `racer${n}.categories@example.test` }),
      ),
    );
    // each batch has one order per customer, in another order of customers, so both lock all three
    const batch = (tag: string, order: number[]) =>
      order.map((k) => ({
        external_id: `race-${tag}-${k}`,
        customer_id: customers[k]!.id,
        placed_at: `2026-05-0${k + 1}T08:00:00.000Z`,
        items: [line('CAT-T1', 'tea'), line(`CAT-${tag}`, tag)],
      }));
    await Promise.all([ingest(batch('left', [0, 1, 2])), ingest(batch('right', [2, 1, 0]))]);
    for (const customer of customers) {
      expect(await stored(customer.id)).toEqual(await recounted(customer.id));
      expect((await stored(customer.id)).map((r) => [r.category, r.orders])).toEqual([
        ['left', 1],
        ['right', 1],
        ['tea', 2],
      ]);
    }
  });
});
