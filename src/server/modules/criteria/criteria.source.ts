import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * What criteria predicates and list filters are written over: `customers as c` joined to
 * `customer_metrics as m`, the customer's order metrics and predicted value (migration 026). Every
 * customer has exactly one metrics row, so the join is inner and keeps one row per customer.
 */
export function fromCustomers(db: Kysely<DB>) {
  return db.selectFrom('customers as c').innerJoin('customer_metrics as m', 'm.customer_id', 'c.id');
}

/** The same FROM for hand-written SQL. */
export const customersWithMetrics = sql`customers c join customer_metrics m on m.customer_id = c.id`;
