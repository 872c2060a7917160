import { type Kysely, sql } from 'kysely';
import type { CommunicationPreferenceChangesTable, DB } from '../../db/schema.js';

export type PreferenceSource = CommunicationPreferenceChangesTable['source'];
export type PreferenceChanges = Record<string, [boolean, boolean]>;

/** The customer's stored (partial) preferences and version, locked until the transaction ends. */
export function lockCustomerPreferences(db: Kysely<DB>, customerId: string) {
  return db
    .selectFrom('customers')
    .select(['id', 'version', 'communication_preferences'])
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

export function findCustomerPreferences(db: Kysely<DB>, customerId: string) {
  return db
    .selectFrom('customers')
    .select(['id', 'version', 'communication_preferences'])
    .where('id', '=', customerId)
    .executeTakeFirst();
}

/** Stores the new preferences; a preference change is a change of the customer (version, updated_at). */
export function storeCustomerPreferences(
  db: Kysely<DB>,
  customerId: string,
  preferences: Record<string, unknown>,
) {
  return db
    .updateTable('customers')
    .set({
      communication_preferences: JSON.stringify(preferences),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', customerId)
    .execute();
}

export function insertPreferenceChange(
  db: Kysely<DB>,
  row: {
    customer_id: string;
    source: PreferenceSource;
    changed_by: string | null;
    email_id: string | null;
    changes: PreferenceChanges;
  },
) {
  return db
    .insertInto('communication_preference_changes')
    .values({ ...row, changes: JSON.stringify(row.changes) })
    .execute();
}

/** The customer's preference history, newest first, with the names of the staff who changed it. */
export function findPreferenceHistory(db: Kysely<DB>, customerId: string, limit: number) {
  return db
    .selectFrom('communication_preference_changes as h')
    .leftJoin('staff_users as s', 's.id', 'h.changed_by')
    .select([
      'h.id',
      'h.changed_at',
      'h.source',
      'h.changed_by',
      's.name as changed_by_name',
      'h.email_id',
      'h.changes',
    ])
    .where('h.customer_id', '=', customerId)
    .orderBy('h.changed_at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
}
