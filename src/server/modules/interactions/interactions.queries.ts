import { type Kysely, type SqlBool, sql } from 'kysely';
import type { InteractionType } from '../../../shared/interactions.js';
import type { DB } from '../../db/schema.js';

const interactionColumns = [
  'i.id',
  'i.customer_id',
  'i.interaction_type',
  'i.subject',
  'i.description',
  'i.outcome',
  'i.occurred_at',
  'i.follow_up_date',
  'i.follow_up_task_id',
  'i.created_by',
  'i.version',
  'i.created_at',
  'i.updated_at',
] as const;

function interactionsWithAuthor(db: Kysely<DB>) {
  return db
    .selectFrom('interactions as i')
    .leftJoin('staff_users as a', 'a.id', 'i.created_by')
    .select(interactionColumns)
    .select(['a.name as author_name', sql<string>`i.occurred_at::text`.as('occurred_key')]);
}

export type InteractionRow = NonNullable<Awaited<ReturnType<typeof findInteraction>>>;

export function findInteraction(db: Kysely<DB>, id: string) {
  return interactionsWithAuthor(db).where('i.id', '=', id).executeTakeFirst();
}

/** Newest first by when they happened; keyset on (occurred_at, id), both descending. */
export function findInteractions(
  db: Kysely<DB>,
  customerId: string,
  opts: { type?: InteractionType | undefined; limit: number; after: { occurred: string; id: string } | null },
) {
  let q = interactionsWithAuthor(db).where('i.customer_id', '=', customerId);
  if (opts.type) q = q.where('i.interaction_type', '=', opts.type);
  if (opts.after) {
    q = q.where(
      sql<SqlBool>`(i.occurred_at, i.id) < (${opts.after.occurred}::timestamptz, ${opts.after.id}::uuid)`,
    );
  }
  return q
    .orderBy('i.occurred_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(opts.limit + 1)
    .execute();
}

export function lockInteraction(db: Kysely<DB>, id: string) {
  return db.selectFrom('interactions').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface InteractionValues {
  interaction_type: InteractionType;
  subject: string;
  description: string | null;
  outcome: string | null;
  occurred_at: Date;
  follow_up_date: Date | null;
}

export function insertInteraction(
  db: Kysely<DB>,
  values: InteractionValues & { customer_id: string; created_by: string },
) {
  return db.insertInto('interactions').values(values).returning('id').executeTakeFirstOrThrow();
}

export function setFollowUpTask(db: Kysely<DB>, id: string, taskId: string) {
  return db.updateTable('interactions').set({ follow_up_task_id: taskId }).where('id', '=', id).execute();
}

export function updateInteractionRow(
  db: Kysely<DB>,
  id: string,
  values: InteractionValues & { follow_up_task_id: string | null },
) {
  return db
    .updateTable('interactions')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export function deleteInteractionRow(db: Kysely<DB>, id: string) {
  return db.deleteFrom('interactions').where('id', '=', id).execute();
}
