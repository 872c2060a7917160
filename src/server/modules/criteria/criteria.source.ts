import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * What criteria predicates and list filters are written over: `customers as c` joined to
 * `customer_metrics as m`, the customer's order metrics, predicted value, status, stage and
 * country (migrations 026 and 027). Every customer has exactly one metrics row, so the join is
 * inner and keeps one row per customer.
 */
export function fromCustomers(db: Kysely<DB>) {
  return db.selectFrom('customers as c').innerJoin('customer_metrics as m', 'm.customer_id', 'c.id');
}

/**
 * The columns that live on `customer_metrics` (the figures orders and refits change, and the
 * country the filter bar's index reads beside status and stage: migrations 026 and 027); every
 * other customer column is on `customers`.
 */
export const metricColumns = [
  'total_orders',
  'lifetime_value',
  'average_order_value',
  'first_order_date',
  'last_order_date',
  'customer_value',
  'customer_status',
  'lifecycle_stage',
  'country',
] as const;
const onMetrics = new Set<string>(metricColumns);

/** True when this customer column lives on `customer_metrics`. */
export function isMetricColumn(name: string): boolean {
  return onMetrics.has(name);
}

/** A customer column as `c.name` or `m.name`, whichever table holds it. */
export function customerColumn(name: string): string {
  return `${isMetricColumn(name) ? 'm' : 'c'}.${name}`;
}

/** The same FROM for hand-written SQL. */
export const customersWithMetrics = sql`customers c join customer_metrics m on m.customer_id = c.id`;
