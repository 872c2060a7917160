import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../shared/customers.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { dayMs, dayOf, monthsSnapshot, placeOrder, statsSnapshot } from './retention.fixtures.js';

/**
 * The sums behind the retention analytics (migration 021) kept by the orders triggers give
 * exactly what a full rebuild from the orders gives, through inserts, status changes, moved and
 * re-timed orders, deletions, a deleted customer, folding and a new churn threshold.
 */
let t: TestApp;
let admin: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
});
afterAll(() => t?.close());

async function expectSameAsRebuild() {
  const stats = await statsSnapshot(t);
  const months = await monthsSnapshot(t);
  await t.database.db.transaction().execute(async (trx) => {
    await sql`select crm_rebuild_customer_months()`.execute(trx);
  });
  expect(await monthsSnapshot(t)).toEqual(months);
  expect(await statsSnapshot(t)).toEqual(stats);
  return { stats, months };
}

describe('customer_months and retention_stats', () => {
  it('hold one row per customer and month with the days, first and last order and neighbours', async () => {
    const c = await makeCustomer(t, admin);
    await placeOrder(t, admin, c.id, dayOf(4, 3, 9), 10);
    await placeOrder(t, admin, c.id, dayOf(4, 3, 18), 15); // same day: one bit
    await placeOrder(t, admin, c.id, dayOf(4, 20), 5);
    await placeOrder(t, admin, c.id, dayOf(2, 28), 7);
    await placeOrder(t, admin, c.id, dayOf(1, 5), 100, 'cancelled'); // not kept
    const rows = await sql<{
      month: string;
      cohort: string;
      orders: number;
      revenue: string;
      days: number;
      first_at: Date;
      last_at: Date;
      prev_at: Date | null;
      next_at: Date | null;
    }>`select to_char(month, 'YYYY-MM-DD') as month, to_char(cohort, 'YYYY-MM-DD') as cohort, orders,
              revenue::text as revenue, days, first_at, last_at, prev_at, next_at
       from customer_months where customer_id = ${c.id} order by month`.execute(t.database.db);
    const first = isoMonth(dayOf(4, 1));
    expect(rows.rows).toEqual([
      {
        month: first,
        cohort: first,
        orders: 3,
        revenue: '30.00',
        days: (1 << 2) | (1 << 19),
        first_at: dayOf(4, 3, 9),
        last_at: dayOf(4, 20),
        prev_at: null,
        next_at: dayOf(2, 28),
      },
      {
        month: isoMonth(dayOf(2, 1)),
        cohort: first,
        orders: 1,
        revenue: '7.00',
        days: 1 << 27,
        first_at: dayOf(2, 28),
        last_at: dayOf(2, 28),
        prev_at: dayOf(4, 20),
        next_at: null,
      },
    ]);
    await expectSameAsRebuild();
  });

  it('follow every kind of order change exactly as a rebuild would count it', async () => {
    const customers: Customer[] = [];
    for (let i = 0; i < 6; i++) customers.push(await makeCustomer(t, admin));
    const orders = [];
    // a deterministic spread over two and a half years, some same-day and some not kept
    for (let i = 0; i < 40; i++) {
      const c = customers[(i * 7) % customers.length]!;
      const at = new Date(Date.now() - ((i * 53) % 900) * dayMs - (i % 3) * 3_600_000);
      const status = i % 9 === 4 ? 'cancelled' : i % 5 === 0 ? 'fulfilled' : 'paid';
      orders.push(await placeOrder(t, admin, c.id, at, 10 + (i % 7) * 5, status));
    }
    await expectSameAsRebuild();

    // status changes through the API: refunds, a cancelled order paid after all
    for (const o of orders.filter((_, i) => i % 6 === 1)) {
      const res = await t.request({
        method: 'PATCH',
        url: `/api/orders/${o.id}`,
        as: admin,
        payload: { status: 'refunded' },
      });
      expect(res.statusCode).toBe(200);
    }
    const cancelled = orders.find((o) => o.status === 'cancelled')!;
    await t.request({
      method: 'PATCH',
      url: `/api/orders/${cancelled.id}`,
      as: admin,
      payload: { status: 'paid' },
    });
    await expectSameAsRebuild();

    // what the API does not do but the platform might: re-time, re-price, move, delete in bulk
    const db = t.database.db;
    await sql`update orders set placed_at = placed_at - interval '200 days' where id = ${orders[3]!.id}`.execute(
      db,
    );
    await sql`update orders set total = total + 1 where customer_id = ${customers[1]!.id}`.execute(db);
    await sql`update orders set customer_id = ${customers[2]!.id} where id = any(${[orders[5]!.id, orders[12]!.id]}::uuid[])`.execute(
      db,
    );
    await sql`update orders set updated_at = now()`.execute(db); // no retention change at all
    await sql`delete from orders where id = any(${[orders[8]!.id, orders[20]!.id]}::uuid[])`.execute(db);
    await expectSameAsRebuild();

    // a customer deleted with their orders leaves nothing behind
    await sql`delete from customers where id = ${customers[4]!.id}`.execute(db);
    const { months } = await expectSameAsRebuild();
    expect(months.some((m) => m.customer_id === customers[4]!.id)).toBe(false);
  });

  it('stay exact through multi-statement transactions and concurrent orders of the same customers', async () => {
    const a = await makeCustomer(t, admin);
    const b = await makeCustomer(t, admin);
    await t.database.db.transaction().execute(async (trx) => {
      await sql`insert into orders (customer_id, total, placed_at) values (${a.id}, 10, now() - interval '40 days')`.execute(
        trx,
      );
      await sql`insert into orders (customer_id, total, placed_at) values (${a.id}, 20, now())`.execute(trx);
      await sql`update orders set status = 'refunded' where customer_id = ${a.id} and total = 20`.execute(
        trx,
      );
    });
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from customer_months where customer_id = ${a.id}`.execute(t.database.db);
    expect(rows.rows[0]!.n).toBe(1);
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        placeOrder(t, admin, i % 2 ? a.id : b.id, new Date(Date.now() - ((i * 37) % 400) * dayMs), 5 + i),
      ),
    );
    await expectSameAsRebuild();
  });

  it('fold their deltas without changing a sum, and recount starts and churns under a new threshold', async () => {
    const before = await statsSnapshot(t);
    const c = await makeCustomer(t, admin);
    await placeOrder(t, admin, c.id, new Date(Date.now() - 400 * dayMs), 20);
    await placeOrder(t, admin, c.id, new Date(Date.now() - 10 * dayMs), 30);
    const deltas = await sql<{ n: number }>`select count(*)::int as n from retention_deltas`.execute(
      t.database.db,
    );
    expect(deltas.rows[0]!.n).toBeGreaterThan(0);
    const summed = await statsSnapshot(t);
    expect(summed).not.toEqual(before);
    await sql`select crm_compact_retention_stats()`.execute(t.database.db);
    const after = await sql<{ n: number }>`select count(*)::int as n from retention_deltas`.execute(
      t.database.db,
    );
    expect(after.rows[0]!.n).toBe(0);
    expect(await statsSnapshot(t)).toEqual(summed);

    // unread for long (here: 100,001 empty deltas), a batch of 1,000 customers folds them itself
    const db = t.database.db;
    await sql`insert into retention_deltas (cohort, day) select null, current_date from generate_series(0, 100000)`.execute(
      db,
    );
    await sql`insert into customers (first_name, search_text) select 'Batch ' || g, '' from generate_series(1, 1000) g`.execute(
      db,
    );
    await sql`insert into orders (customer_id, total, placed_at)
              select id, 12, now() - interval '3 days' from customers where first_name like 'Batch %'`.execute(
      db,
    );
    const left = await sql<{ n: number }>`select count(*)::int as n from retention_deltas`.execute(db);
    expect(left.rows[0]!.n).toBeLessThan(10);
    await expectSameAsRebuild();

    // 390 days between the two orders: churned and back under 365 days, active throughout under 400
    const rules = (await t.request({ method: 'GET', url: '/api/crm/lifecycle/rules', as: admin })).json<
      Record<string, unknown>
    >();
    for (const days of [400, 30 * 13, 365]) {
      const put = await t.request({
        method: 'PUT',
        url: '/api/crm/lifecycle/rules',
        as: admin,
        payload: { ...pickRules(rules), lost_after_days: days },
      });
      expect(put.statusCode).toBe(200);
      const expected = await churnsFromOrders(days);
      const got = await sql<{ starts: number; churns: number }>`
        select coalesce(sum(starts), 0)::int as starts, coalesce(sum(churns), 0)::int as churns
        from (select starts, churns from retention_stats union all select starts, churns from retention_deltas) s`.execute(
        t.database.db,
      );
      expect({ days, ...got.rows[0] }).toEqual({ days, starts: expected, churns: expected });
      await expectSameAsRebuild();
    }
    expect(await churnsFromOrders(365)).toBe((await churnsFromOrders(400)) + 1);
  });
});

/**
 * Churn events counted from the orders alone: every buyer churns once after their last kept order,
 * and once more for each gap longer than the threshold between two of their kept orders (and comes
 * back as often: starts equal churns).
 */
async function churnsFromOrders(days: number): Promise<number> {
  const orders = await t.database.db
    .selectFrom('orders')
    .select(['customer_id', 'placed_at'])
    .where('status', 'in', ['paid', 'fulfilled'])
    .orderBy('customer_id')
    .orderBy('placed_at')
    .execute();
  let churns = 0;
  orders.forEach((o, i) => {
    const next = orders[i + 1];
    if (!next || next.customer_id !== o.customer_id) churns += 1;
    else if (next.placed_at.getTime() - o.placed_at.getTime() > days * dayMs) churns += 1;
  });
  return churns;
}

function isoMonth(d: Date) {
  return `${d.toISOString().slice(0, 7)}-01`;
}

function pickRules(r: Record<string, unknown>) {
  const keys = [
    'loyal_min_orders',
    'loyal_recent_days',
    'at_risk_interval_factor',
    'default_interval_days',
    'at_risk_min_days',
    'lost_after_days',
  ];
  return Object.fromEntries(keys.map((k) => [k, r[k]]));
}
