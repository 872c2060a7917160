import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { customersWithMetrics } from '../criteria/criteria.source.js';

const segmentColumns = [
  'id',
  'name',
  'description',
  'criteria',
  'auto_update',
  'customer_count',
  'version',
  'created_by',
  'created_at',
  'updated_at',
] as const;

export type SegmentRow = NonNullable<Awaited<ReturnType<typeof findSegment>>>;

export function findSegments(db: Kysely<DB>) {
  return db.selectFrom('segments').select(segmentColumns).orderBy(sql`lower(name)`).orderBy('id').execute();
}

export function findSegment(db: Kysely<DB>, id: string) {
  return db.selectFrom('segments').select(segmentColumns).where('id', '=', id).executeTakeFirst();
}

/** Locks the segment for a change (membership or definition); undefined when there is none. */
export function lockSegment(db: Kysely<DB>, id: string) {
  return db.selectFrom('segments').select(segmentColumns).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Inserts a segment unless its name is taken (case-insensitively); undefined when it was. */
export function insertSegment(
  db: Kysely<DB>,
  values: {
    name: string;
    description: string | null;
    criteria: unknown;
    auto_update: boolean;
    created_by: string | null;
  },
) {
  return db
    .insertInto('segments')
    .values({ ...values, criteria: values.criteria == null ? null : JSON.stringify(values.criteria) })
    .onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export function updateSegmentRow(
  db: Kysely<DB>,
  id: string,
  values: { name: string; description: string | null; criteria: unknown; auto_update: boolean },
) {
  return db
    .updateTable('segments')
    .set({
      ...values,
      criteria: values.criteria == null ? null : JSON.stringify(values.criteria),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export function deleteSegmentRow(db: Kysely<DB>, id: string) {
  return db.deleteFrom('segments').where('id', '=', id).execute();
}

/** Ids of segments a queued or running refresh job will (re)build. */
export async function findBuildingSegmentIds(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await sql<{ id: string }>`
    select distinct jsonb_array_elements_text(payload->'segment_ids') as id from jobs
    where kind = 'segments.refresh' and status in ('queued', 'running') and payload ? 'segment_ids'`.execute(
    db,
  );
  return new Set(rows.rows.map((r) => r.id));
}

/** How many customers match, counting no further than `cap + 1`. */
export async function countMatchesUpTo(db: Kysely<DB>, predicate: RawBuilder<SqlBool>, cap: number) {
  const row = await sql<{ n: string | number }>`
    select count(*) as n from (select 1 from ${customersWithMetrics} where ${predicate} limit ${cap + 1}) n`.execute(
    db,
  );
  return Number(row.rows[0]?.n ?? 0);
}

/** Sets `customer_count` to the real membership; run in the transaction that changed it. */
export async function syncSegmentCount(db: Kysely<DB>, id: string): Promise<number> {
  const row = await sql<{ customer_count: number }>`
    update segments s set customer_count =
      (select count(*) from segment_members sm where sm.segment_id = s.id)::int
    where s.id = ${id} returning s.customer_count`.execute(db);
  return Number(row.rows[0]?.customer_count ?? 0);
}

/** The segments a customer belongs to, by name (the profile's `segments`). */
export function findCustomerSegments(db: Kysely<DB>, customerId: string) {
  return db
    .selectFrom('segment_members as sm')
    .innerJoin('segments as s', 's.id', 'sm.segment_id')
    .select(['s.id', 's.name'])
    .where('sm.customer_id', '=', customerId)
    .orderBy(sql`lower(s.name)`)
    .orderBy('s.id')
    .execute();
}

/** Of the given ids, those that are customers. */
export async function findExistingCustomerIds(db: Kysely<DB>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('customers').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

interface SegmentRef {
  id: string;
  name: string;
}

const eventData = (segment: SegmentRef, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ segment_id: segment.id, segment_name: segment.name, ...extra });

/**
 * Adds customers to the segment and writes `segment_entered` for each newly added one, in one
 * statement; returns how many were added (existing members are left alone).
 */
export async function addSegmentMembers(
  db: Kysely<DB>,
  segment: SegmentRef,
  customerIds: string[],
  actorId: string | null,
): Promise<number> {
  if (customerIds.length === 0) return 0;
  const result = await sql<{ n: string | number }>`
    with added as (
      insert into segment_members (segment_id, customer_id)
      select ${segment.id}, c.id from customers c where c.id in (${sql.join(customerIds)})
      on conflict do nothing
      returning customer_id
    ), events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select customer_id, 'segment_entered', ${actorId}, ${`Added to segment ${segment.name}`},
             ${eventData(segment)}::jsonb
      from added
    )
    select count(*) as n from added`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/** Removes customers from the segment, writing `segment_left` for each; returns how many left. */
export async function removeSegmentMembers(
  db: Kysely<DB>,
  segment: SegmentRef,
  customerIds: string[],
  actorId: string | null,
): Promise<number> {
  if (customerIds.length === 0) return 0;
  const result = await sql<{ n: string | number }>`
    with removed as (
      delete from segment_members
      where segment_id = ${segment.id} and customer_id in (${sql.join(customerIds)})
      returning customer_id
    ), events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select customer_id, 'segment_left', ${actorId}, ${`Removed from segment ${segment.name}`},
             ${eventData(segment)}::jsonb
      from removed
    )
    select count(*) as n from removed`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Recomputes an automatic segment's membership from its compiled criteria in one statement:
 * inserts customers who now match, deletes members who no longer do, and writes
 * `segment_entered` / `segment_left` events for exactly those. With `scope`, only those
 * customers are looked at (the re-evaluation after a change). Returns the counts.
 */
export async function recomputeSegmentMembers(
  db: Kysely<DB>,
  segment: SegmentRef,
  predicate: RawBuilder<SqlBool>,
  actorId: string | null,
  scope?: string[],
): Promise<{ added: number; removed: number }> {
  if (scope?.length === 0) return { added: 0, removed: 0 };
  const inScope = (col: RawBuilder<unknown>) =>
    scope ? sql<SqlBool>`${col} in (${sql.join(scope)})` : sql<SqlBool>`true`;
  const result = await sql<{ added: string | number; removed: string | number }>`
    with matches as materialized (
      select c.id from ${customersWithMetrics} where ${inScope(sql`c.id`)} and ${predicate}
    ), members as materialized (
      select ctid as row_id, customer_id from segment_members
      where segment_id = ${segment.id} and ${inScope(sql`customer_id`)}
    ), diff as materialized (
      -- who joins and who leaves, in one pass: a full join can only be a hash or merge join, so
      -- it stays linear whatever the statistics say. ("Not exists in matches" once became a
      -- nested loop scanning all matches per member when an analyze had just seen the table
      -- nearly empty: 90,000 x 90,000, minutes for one segment.)
      select m.id as joining, s.row_id as leaving
      from matches m full join members s on s.customer_id = m.id
      where m.id is null or s.customer_id is null
    ), added as (
      insert into segment_members (segment_id, customer_id)
      select ${segment.id}, joining from diff where joining is not null
      on conflict do nothing
      returning customer_id
    ), removed as (
      -- by row address: a TID scan touches exactly the leavers, however many members there are
      delete from segment_members sm
      where sm.ctid = any (array(select leaving from diff where leaving is not null))
      returning sm.customer_id
    ), entered_events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select customer_id, 'segment_entered', ${actorId}, ${`Entered segment ${segment.name}`},
             ${eventData(segment, { automatic: true })}::jsonb
      from added
    ), left_events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select customer_id, 'segment_left', ${actorId}, ${`Left segment ${segment.name}`},
             ${eventData(segment, { automatic: true })}::jsonb
      from removed
    )
    select (select count(*) from added) as added, (select count(*) from removed) as removed`.execute(db);
  const row = result.rows[0];
  return { added: Number(row?.added ?? 0), removed: Number(row?.removed ?? 0) };
}

/**
 * Re-evaluates several automatic segments for a few customers in ONE statement: every
 * (customer, segment) pair is judged once, new members are inserted, leavers deleted, their
 * timeline events written and each segment's `customer_count` moved by its difference. The
 * segments must not refer to one another (the statement sees memberships as they were before
 * it); callers run one statement per dependency level. Returns how many joined and left.
 */
export async function reevaluateCustomers(
  db: Kysely<DB>,
  segments: { id: string; name: string; predicate: RawBuilder<SqlBool> }[],
  customerIds: string[],
): Promise<{ added: number; removed: number }> {
  if (segments.length === 0 || customerIds.length === 0) return { added: 0, removed: 0 };
  const judged = sql.join(
    segments.map((s) => sql`(${s.id}::uuid, ${s.name}::text, coalesce(${s.predicate}, false))`),
  );
  const result = await sql<{ added: string | number; removed: string | number }>`
    with eval as materialized (
      select j.segment_id, j.segment_name, c.id as customer_id, j.member
      from ${customersWithMetrics}
      cross join lateral (values ${judged}) as j(segment_id, segment_name, member)
      where c.id in (${sql.join(customerIds)})
    ), added as (
      insert into segment_members (segment_id, customer_id)
      select segment_id, customer_id from eval where member
      on conflict do nothing
      returning segment_id, customer_id
    ), removed as (
      delete from segment_members sm using eval e
      where sm.segment_id = e.segment_id and sm.customer_id = e.customer_id and not e.member
      returning sm.segment_id, sm.customer_id
    ), named as (
      select a.segment_id, a.customer_id, 'segment_entered' as kind, 1 as delta from added a
      union all
      select r.segment_id, r.customer_id, 'segment_left', -1 from removed r
    ), events as (
      insert into customer_events (customer_id, kind, actor_id, summary, data)
      select n.customer_id, n.kind, null,
             case n.kind when 'segment_entered' then 'Entered segment ' else 'Left segment ' end || e.segment_name,
             jsonb_build_object('segment_id', n.segment_id, 'segment_name', e.segment_name, 'automatic', true)
      from named n
      join (select distinct segment_id, segment_name from eval) e on e.segment_id = n.segment_id
    ), counts as (
      update segments s set customer_count = s.customer_count + d.delta
      from (select segment_id, sum(delta)::int as delta from named group by segment_id) d
      where d.segment_id = s.id
    )
    select (select count(*) from added) as added, (select count(*) from removed) as removed`.execute(db);
  const row = result.rows[0];
  return { added: Number(row?.added ?? 0), removed: Number(row?.removed ?? 0) };
}

/** The automatic segments, locked for a membership change (in id order, so lockers never deadlock). */
export function lockAutoSegments(db: Kysely<DB>) {
  return db
    .selectFrom('segments')
    .select(segmentColumns)
    .where('auto_update', '=', true)
    .where('criteria', 'is not', null)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The automatic segments with criteria, ids and criteria only. */
export function findAutoSegments(db: Kysely<DB>) {
  return db
    .selectFrom('segments')
    .select(['id', 'criteria'])
    .where('auto_update', '=', true)
    .where('criteria', 'is not', null)
    .orderBy('id')
    .execute();
}

/**
 * Takes up to `limit` customers marked for re-evaluation, skipping ones another worker holds;
 * they are deleted in the caller's transaction, so a failed evaluation leaves them marked.
 */
export async function takeDirtyCustomers(db: Kysely<DB>, limit: number): Promise<string[]> {
  const result = await sql<{ customer_id: string }>`
    delete from segment_dirty_customers where customer_id in (
      select customer_id from segment_dirty_customers
      order by marked_at limit ${limit}
      for update skip locked
    ) returning customer_id`.execute(db);
  return result.rows.map((r) => r.customer_id);
}

/** Records every segment's size for today (the report's size over time); idempotent per day. */
export async function snapshotSegmentSizes(db: Kysely<DB>): Promise<number> {
  const result = await sql`
    insert into segment_snapshots (segment_id, day, customer_count)
    select id, current_date, customer_count from segments
    on conflict (segment_id, day) do update set customer_count = excluded.customer_count`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Writes `segment_left` on the timeline of every member before the segment is deleted. */
export async function recordSegmentDeletion(
  db: Kysely<DB>,
  segment: SegmentRef,
  actorId: string | null,
): Promise<number> {
  const result = await sql`
    insert into customer_events (customer_id, kind, actor_id, summary, data)
    select sm.customer_id, 'segment_left', ${actorId}, ${`Left segment ${segment.name} (segment deleted)`},
           ${eventData(segment, { segment_deleted: true })}::jsonb
    from segment_members sm where sm.segment_id = ${segment.id}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Fresh statistics for segment_members after a refresh that moved a tenth of it, by the rule
 * autovacuum's autoanalyze uses (50 rows + 10 %). A first build writes millions of memberships;
 * planned with statistics that still saw the table empty, the next re-evaluation of one customer
 * scanned all of them (7 s instead of 5 ms). Autovacuum would catch up within a minute, but not
 * every server runs it, and the next refresh may come sooner.
 */
export async function analyzeSegmentMembersAfter(db: Kysely<DB>, changed: number) {
  if (changed <= 50) return;
  const stats = await sql<{ rows: number }>`
    select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'segment_members'::regclass`.execute(
    db,
  );
  if (changed > 50 + 0.1 * Number(stats.rows[0]?.rows ?? 0)) await sql`analyze segment_members`.execute(db);
}
