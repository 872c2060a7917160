import { type Expression, type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { customerColumn, customersWithMetrics, isMetricColumn } from '../criteria/criteria.source.js';

/**
 * The selection of a bulk action, materialised once in the action's transaction: numbered so
 * the work goes in chunks with progress, and fixed so every chunk sees the same customers.
 * Returns how many customers it holds.
 */
export async function materialiseSelection(trx: Kysely<DB>, selection: Expression<unknown>): Promise<number> {
  await sql`create temp table bulk_selection (n bigserial primary key, id uuid not null unique)
            on commit drop`.execute(trx);
  const result = await sql`insert into bulk_selection (id) ${selection}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** One chunk of the selection: rows numbered (from, to]. */
const chunk = (from: number, to: number) =>
  sql`select b.id from bulk_selection b where b.n > ${from} and b.n <= ${to}`;

/** Counts customers (distinct) changed by a statement whose CTE `changed` returns `customer_id`. */
async function changedCount(trx: Kysely<DB>, statement: ReturnType<typeof sql>): Promise<number> {
  const result = await sql<{ n: string | number }>`${statement}`.execute(trx);
  return Number(result.rows[0]?.n ?? 0);
}

interface TagRef {
  id: string;
  name: string;
  color: string;
}

const tagsValues = (tags: TagRef[]) =>
  sql`(values ${sql.join(tags.map((t) => sql`(${t.id}::uuid, ${t.name}, ${t.color})`))}) as t(id, name, color)`;

/** Tags a chunk of the selection; one `tag_added` event per new tag per customer. */
export function addTagsToChunk(
  trx: Kysely<DB>,
  range: [number, number],
  tags: TagRef[],
  actorId: string | null,
) {
  return changedCount(
    trx,
    sql`with changed as (
      insert into customer_tags (customer_id, tag_id, tagged_by)
      select s.id, t.id, ${actorId} from (${chunk(...range)}) s cross join ${tagsValues(tags)}
      on conflict (customer_id, tag_id) do nothing
      returning customer_id, tag_id
    ), events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select ch.customer_id, 'tag_added', ${actorId}, 'Tagged ' || t.name,
             jsonb_build_object('tag_id', t.id, 'tag_name', t.name, 'color', t.color, 'bulk', true)
      from changed ch join ${tagsValues(tags)} on t.id = ch.tag_id
    )
    select count(distinct customer_id) as n from changed`,
  );
}

/** Untags a chunk of the selection; one `tag_removed` event per removed tag per customer. */
export function removeTagsFromChunk(
  trx: Kysely<DB>,
  range: [number, number],
  tags: TagRef[],
  actorId: string | null,
) {
  return changedCount(
    trx,
    sql`with changed as (
      delete from customer_tags ct
      using (${chunk(...range)}) s
      where ct.customer_id = s.id and ct.tag_id in (${sql.join(tags.map((t) => t.id))})
      returning ct.customer_id, ct.tag_id
    ), events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select ch.customer_id, 'tag_removed', ${actorId}, 'Untagged ' || t.name,
             jsonb_build_object('tag_id', t.id, 'tag_name', t.name, 'color', t.color, 'bulk', true)
      from changed ch join ${tagsValues(tags)} on t.id = ch.tag_id
    )
    select count(distinct customer_id) as n from changed`,
  );
}

interface SegmentRef {
  id: string;
  name: string;
}

const segmentData = (s: SegmentRef) => JSON.stringify({ segment_id: s.id, segment_name: s.name, bulk: true });

export function addChunkToSegment(
  trx: Kysely<DB>,
  range: [number, number],
  segment: SegmentRef,
  actorId: string | null,
) {
  return changedCount(
    trx,
    sql`with changed as (
      insert into segment_members (segment_id, customer_id)
      select ${segment.id}, s.id from (${chunk(...range)}) s
      on conflict do nothing
      returning customer_id
    ), events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select customer_id, 'segment_entered', ${actorId}, ${`Added to segment ${segment.name}`},
             ${segmentData(segment)}::jsonb
      from changed
    )
    select count(*) as n from changed`,
  );
}

export function removeChunkFromSegment(
  trx: Kysely<DB>,
  range: [number, number],
  segment: SegmentRef,
  actorId: string | null,
) {
  return changedCount(
    trx,
    sql`with changed as (
      delete from segment_members sm using (${chunk(...range)}) s
      where sm.segment_id = ${segment.id} and sm.customer_id = s.id
      returning sm.customer_id
    ), events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select customer_id, 'segment_left', ${actorId}, ${`Removed from segment ${segment.name}`},
             ${segmentData(segment)}::jsonb
      from changed
    )
    select count(*) as n from changed`,
  );
}

/**
 * Sets one profile column on a chunk (status or owner): only customers whose value differs
 * change; each gets its version bumped and a `profile_updated` event with before and after,
 * as an edit by hand would.
 */
export function setColumnOnChunk(
  trx: Kysely<DB>,
  range: [number, number],
  column: 'customer_status' | 'owner_id',
  value: string | null,
  actorId: string | null,
) {
  const col = sql.ref(customerColumn(column));
  const label = column === 'customer_status' ? 'customer status' : 'owner';
  // a column on customer_metrics (the status, migration 027) is set there; the version is bumped on customers either way
  const onMetrics = isMetricColumn(column);
  return changedCount(
    trx,
    sql`with old as (
      select c.id, ${col}::text as before from ${customersWithMetrics} join (${chunk(...range)}) s on s.id = c.id
      where ${col} is distinct from ${value}
      for update of c
    ), changed as (
      update customers c set ${onMetrics ? sql`` : sql`${sql.ref(column)} = ${value},`}
        version = c.version + 1, updated_at = now()
      from old where old.id = c.id
      returning c.id as customer_id
    )${
      onMetrics
        ? sql`, moved as (
      update customer_metrics m set ${sql.ref(column)} = ${value} from old where old.id = m.customer_id
    )`
        : sql``
    }, events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select old.id, 'profile_updated', ${actorId}, ${`Updated ${label}`},
             jsonb_build_object('changes', jsonb_build_object(${column}::text,
               jsonb_build_object('from', old.before, 'to', ${value}::text)), 'bulk', true)
      from old
    )
    select count(*) as n from changed`,
  );
}
