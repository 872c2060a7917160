import { sql } from 'kysely';
import type { TestApp, StaffHandle } from '../../../../tests/helpers/test-app.js';
import { makeOrder } from '../../../../tests/helpers/factories.js';

/** Test helpers for the retention analytics: dates relative to the current UTC month, orders. */

export const dayMs = 86_400_000;

/** First instant of the UTC month `monthsAgo` months before the current one. */
export function monthStart(monthsAgo: number, now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
}

/** YYYY-MM of that month. */
export function monthKey(monthsAgo: number, now = new Date()): string {
  return monthStart(monthsAgo, now).toISOString().slice(0, 7);
}

/** Noon UTC of day `day` of the month `monthsAgo` months back. */
export function dayOf(monthsAgo: number, day: number, hour = 12): Date {
  const start = monthStart(monthsAgo);
  return new Date(start.getTime() + (day - 1) * dayMs + hour * 3_600_000);
}

/** `hour` o'clock UTC, `days` days before today (UTC). */
export function daysAgo(days: number, hour = 12): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days, hour));
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A kept (paid) order of `total` at `at` through the API, unless another status is given. */
export async function placeOrder(
  t: TestApp,
  as: StaffHandle,
  customerId: string,
  at: Date,
  total: number,
  status: 'paid' | 'fulfilled' | 'pending' | 'cancelled' | 'refunded' = 'paid',
) {
  return makeOrder(t, as, customerId, {
    placed_at: at.toISOString(),
    status,
    items: [{ sku: 'RET-1', name: 'Retention test item', quantity: 1, unit_price: total }],
  });
}

/** retention_stats and the unfolded deltas summed by key, zero rows left out, in key order. */
export async function statsSnapshot(t: TestApp) {
  const rows = await sql<Record<string, string | number | null>>`
    select to_char(cohort, 'YYYY-MM-DD') as cohort, to_char(day, 'YYYY-MM-DD') as day,
           sum(customers)::int as customers, sum(orders)::int as orders, sum(revenue)::text as revenue,
           sum(repeaters)::int as repeaters, sum(starts)::int as starts, sum(churns)::int as churns
    from (select cohort, day, customers, orders, revenue, repeaters, starts, churns from retention_stats
          union all
          select cohort, day, customers, orders, revenue, repeaters, starts, churns from retention_deltas) s
    group by cohort, day
    having sum(customers) <> 0 or sum(orders) <> 0 or sum(revenue) <> 0 or sum(repeaters) <> 0
        or sum(starts) <> 0 or sum(churns) <> 0
    order by cohort nulls first, day`.execute(t.database.db);
  return rows.rows;
}

export async function monthsSnapshot(t: TestApp) {
  const rows = await sql<Record<string, unknown>>`
    select customer_id, to_char(month, 'YYYY-MM-DD') as month, to_char(cohort, 'YYYY-MM-DD') as cohort,
           orders, revenue::text as revenue, days, first_at, last_at, prev_at, next_at
    from customer_months order by customer_id, month`.execute(t.database.db);
  return rows.rows;
}
