import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

const tagColumns = [
  't.id',
  't.name',
  't.color',
  't.description',
  't.created_by',
  't.created_at',
  't.updated_at',
] as const;

function tagsWithCounts(db: Kysely<DB>) {
  return (
    db
      .selectFrom('tags as t')
      .select(tagColumns)
      // an index-only count per tag (customer_tags_tag_idx)
      .select((eb) =>
        eb
          .selectFrom('customer_tags as ct')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('ct.tag_id', '=', 't.id')
          .as('customer_count'),
      )
  );
}

export type TagRow = NonNullable<Awaited<ReturnType<typeof findTag>>>;

export function findTags(db: Kysely<DB>) {
  return tagsWithCounts(db).orderBy(sql`lower(t.name)`).orderBy('t.id').execute();
}

export function findTag(db: Kysely<DB>, id: string) {
  return tagsWithCounts(db).where('t.id', '=', id).executeTakeFirst();
}

/** Locks the tag for a change; undefined when there is none. */
export function lockTag(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('tags')
    .select(['id', 'name', 'color'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function findTagsByIds(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('tags').select(['id', 'name', 'color']).where('id', 'in', ids).execute();
}

/** Tags whose names match case-insensitively. */
export function findTagsByNames(db: Kysely<DB>, names: string[]) {
  if (names.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('tags')
    .select(['id', 'name', 'color'])
    .where(
      (eb) => eb.fn('lower', ['name']),
      'in',
      names.map((n) => n.toLowerCase()),
    )
    .execute();
}

/** Inserts a tag unless its name is taken (case-insensitively); undefined when it was. */
export function insertTag(
  db: Kysely<DB>,
  values: { name: string; color: string; description: string | null; created_by: string | null },
) {
  return db
    .insertInto('tags')
    .values(values)
    .onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export function updateTagRow(
  db: Kysely<DB>,
  id: string,
  values: { name?: string; color?: string; description?: string | null },
) {
  return db
    .updateTable('tags')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export function deleteTagRow(db: Kysely<DB>, id: string) {
  return db.deleteFrom('tags').where('id', '=', id).execute();
}

export function findCustomerTags(db: Kysely<DB>, customerId: string) {
  return db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(['t.id', 't.name', 't.color'])
    .where('ct.customer_id', '=', customerId)
    .orderBy(sql`lower(t.name)`)
    .orderBy('t.id')
    .execute();
}

/** The tags of each of the given customers, by name. */
export function findTagsOfCustomers(db: Kysely<DB>, customerIds: string[]) {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(['ct.customer_id', 't.id', 't.name', 't.color'])
    .where('ct.customer_id', 'in', customerIds)
    .orderBy(sql`lower(t.name)`)
    .orderBy('t.id')
    .execute();
}

/** Tags the customer; returns the ids that were not there before (the rest are left alone). */
export async function insertCustomerTags(
  db: Kysely<DB>,
  customerId: string,
  tagIds: string[],
  taggedBy: string | null,
): Promise<string[]> {
  if (tagIds.length === 0) return [];
  const rows = await db
    .insertInto('customer_tags')
    .values(tagIds.map((tag_id) => ({ customer_id: customerId, tag_id, tagged_by: taggedBy })))
    .onConflict((oc) => oc.columns(['customer_id', 'tag_id']).doNothing())
    .returning('tag_id')
    .execute();
  return rows.map((r) => r.tag_id);
}

/** Untags the customer; false when the customer did not have the tag. */
export async function deleteCustomerTag(db: Kysely<DB>, customerId: string, tagId: string) {
  const result = await db
    .deleteFrom('customer_tags')
    .where('customer_id', '=', customerId)
    .where('tag_id', '=', tagId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Writes a `tag_removed` event on the timeline of every customer carrying the tag, in one
 * statement (before the tag is deleted and its rows cascade away); returns how many.
 */
export async function recordTagDeletion(
  db: Kysely<DB>,
  tag: { id: string; name: string; color: string },
  actorId: string | null,
): Promise<number> {
  const data = JSON.stringify({ tag_id: tag.id, tag_name: tag.name, color: tag.color, tag_deleted: true });
  const result = await sql`
    insert into customer_events (customer_id, kind, actor_id, summary, data)
    select ct.customer_id, 'tag_removed', ${actorId}, ${`Untagged ${tag.name} (tag deleted)`}, ${data}::jsonb
    from customer_tags ct where ct.tag_id = ${tag.id}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
