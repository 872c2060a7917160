import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * What other modules may ask of a customer they refer to (a note, a tag, a ticket, a task), so
 * none of them reads the customers table itself. Kept apart from customers.service so that
 * modules the customer profile reads (tags, segments) can use it without an import cycle.
 */

/**
 * Key-share locks the customer for a write that refers to it, so it cannot be deleted until that
 * write commits; its id and the name people know it by, or undefined when there is none.
 */
export function lockCustomerRef(db: Kysely<DB>, customerId: string) {
  return db
    .selectFrom('customers')
    .select([
      'id',
      sql<string>`coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), nullif(company, ''), 'a customer')`.as(
        'display_name',
      ),
    ])
    .where('id', '=', customerId)
    .forKeyShare()
    .executeTakeFirst();
}

/** True when a customer has this id. */
export async function customerExists(db: Kysely<DB>, customerId: string): Promise<boolean> {
  return !!(await db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst());
}
