import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Updateable,
  sql,
} from 'kysely';
import type { CustomerListQuery, CustomerSortField } from '../../../shared/customers.js';
import type { DB } from '../../db/schema.js';
import type { Cursor } from '../../platform/cursor.js';
import { compileCriteria } from '../criteria/criteria.compiler.js';
import { customerColumn, fromCustomers } from '../criteria/criteria.source.js';

type CustomerEb = ExpressionBuilder<DB & { c: DB['customers']; m: DB['customer_metrics'] }, 'c' | 'm'>;

/**
 * The sort column and its tie-breaking id, both from the table whose keyset index pages the sort:
 * metric sorts by customer_metrics' (column, customer_id), the rest by customers' (column, id).
 */
function sortKeys(sort: CustomerSortField) {
  const col = customerColumn(sort);
  return { col: sql.ref(col), id: sql.ref(col.startsWith('m.') ? 'm.customer_id' : 'c.id') };
}

/** The list's query plus internal options no query string can set (segment members). */
export type CustomerListFilter = CustomerListQuery & { segment_id?: string };

/** Columns that can hold NULL need their NULLs paged separately (always shown last). */
const nullableSorts = new Set<CustomerSortField>([
  'last_name',
  'first_name',
  'email',
  'company',
  'last_order_date',
]);

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Splits a search into words; each must appear in the customer's normalised search text. */
export function searchTerms(q: string | undefined): string[] {
  return (q ?? '')
    .split(/\s+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 6);
}

/** The list's WHERE clause: search and filters, all bound parameters. */
export function customerFilters(eb: CustomerEb, q: CustomerListFilter, staffId: string): Expression<SqlBool> {
  const and: Expression<SqlBool>[] = [];
  for (const term of searchTerms(q.q)) {
    and.push(sql<SqlBool>`c.search_text like '%' || crm_normalize(${escapeLike(term)}) || '%'`);
  }
  if (q.status?.length) and.push(eb('m.customer_status', 'in', q.status));
  if (q.lifecycle_stage?.length) and.push(eb('m.lifecycle_stage', 'in', q.lifecycle_stage));
  if (q.min_lifetime_value !== undefined)
    and.push(eb('m.lifetime_value', '>=', String(q.min_lifetime_value)));
  if (q.max_lifetime_value !== undefined)
    and.push(eb('m.lifetime_value', '<=', String(q.max_lifetime_value)));
  if (q.min_orders !== undefined) and.push(eb('m.total_orders', '>=', q.min_orders));
  if (q.max_orders !== undefined) and.push(eb('m.total_orders', '<=', q.max_orders));
  if (q.last_order_after) and.push(eb('m.last_order_date', '>=', new Date(q.last_order_after)));
  if (q.last_order_before) and.push(eb('m.last_order_date', '<', new Date(q.last_order_before)));
  if (q.created_after) and.push(eb('c.created_at', '>=', new Date(q.created_after)));
  if (q.created_before) and.push(eb('c.created_at', '<', new Date(q.created_before)));
  if (q.acquisition_source) {
    and.push(eb(eb.fn('lower', ['c.acquisition_source']), '=', q.acquisition_source.toLowerCase()));
  }
  if (q.country) and.push(eb('m.country', '=', q.country));
  if (q.owner_id === 'none') and.push(eb('c.owner_id', 'is', null));
  else if (q.owner_id === 'me') and.push(eb('c.owner_id', '=', staffId));
  else if (q.owner_id) and.push(eb('c.owner_id', '=', q.owner_id));
  if (q.criteria) and.push(compileCriteria(q.criteria, { staffId }));
  if (q.query) and.push(compileCriteria(q.query, { staffId }));
  if (q.segment_id) {
    and.push(sql<SqlBool>`exists (select 1 from segment_members sm
      where sm.segment_id = ${q.segment_id} and sm.customer_id = c.id)`);
  }
  return eb.and(and);
}

export const customerListColumns = [
  'c.id',
  'c.user_id',
  'c.first_name',
  'c.last_name',
  'c.email',
  'c.phone',
  'c.company',
  'm.country',
  'm.customer_status',
  'm.lifecycle_stage',
  'm.customer_value',
  'm.lifetime_value',
  'm.total_orders',
  'm.average_order_value',
  'm.first_order_date',
  'm.last_order_date',
  'c.acquisition_date',
  'c.acquisition_source',
  'c.preferred_contact_method',
  'c.owner_id',
  'c.version',
  'c.created_at',
  'c.updated_at',
  'o.name as owner_name',
  'o.email as owner_email',
] as const;

function baseList(db: Kysely<DB>, q: CustomerListFilter, staffId: string) {
  return fromCustomers(db)
    .leftJoin('staff_users as o', 'o.id', 'c.owner_id')
    .select(customerListColumns)
    .select(sql<string | null>`${sortKeys(q.sort).col}::text`.as('sort_value'))
    .where((eb) => customerFilters(eb, q, staffId));
}

export type CustomerListRow = Awaited<ReturnType<ReturnType<typeof baseList>['execute']>>[number];

/**
 * One page by keyset: `(sort column, id)` compared as a row, so every page is an index range
 * scan that costs the same as the first. NULL sort values come after all others, fetched from
 * the same index by a second query only when the page reaches them.
 */
export async function listCustomerPage(
  db: Kysely<DB>,
  q: CustomerListFilter,
  staffId: string,
  cursor: Cursor | null,
): Promise<CustomerListRow[]> {
  const { col, id } = sortKeys(q.sort);
  const dir = q.order;
  const cmp = dir === 'asc' ? sql.raw('>') : sql.raw('<');
  const want = q.limit + 1;
  const nullable = nullableSorts.has(q.sort);

  const rows: CustomerListRow[] = [];
  const inNullSection = nullable && cursor !== null && cursor.v === null;
  if (!inNullSection) {
    let a = baseList(db, q, staffId);
    if (nullable) a = a.where(sql<SqlBool>`${col} is not null`);
    if (cursor) a = a.where(sql<SqlBool>`(${col}, ${id}) ${cmp} (${cursor.v}, ${cursor.id})`);
    rows.push(...(await a.orderBy(col, dir).orderBy(id, dir).limit(want).execute()));
  }
  if (nullable && rows.length < want) {
    let b = baseList(db, q, staffId).where(sql<SqlBool>`${col} is null`);
    if (inNullSection && cursor) b = b.where(sql<SqlBool>`${id} ${cmp} ${cursor.id}`);
    rows.push(
      ...(await b
        .orderBy(id, dir)
        .limit(want - rows.length)
        .execute()),
    );
  }
  return rows;
}

/** True when the query narrows the list at all (search or any filter). */
export function isFiltered(q: CustomerListFilter): boolean {
  return (
    searchTerms(q.q).length > 0 ||
    !!q.status?.length ||
    !!q.lifecycle_stage?.length ||
    [
      q.min_lifetime_value,
      q.max_lifetime_value,
      q.min_orders,
      q.max_orders,
      q.last_order_after,
      q.last_order_before,
      q.created_after,
      q.created_before,
      q.acquisition_source,
      q.country,
      q.owner_id,
      q.criteria,
      q.query,
      q.segment_id,
    ].some((v) => v !== undefined)
  );
}

/** Every customer, from the maintained counter (migration 004): no scan however many there are. */
export async function countAllCustomers(db: Kysely<DB>): Promise<{ total: number; deltas: number }> {
  const row = await sql<{ total: string | number; deltas: string | number }>`
    select coalesce(sum(delta), 0) as total, count(*) as deltas from customer_count_deltas`.execute(db);
  return { total: Number(row.rows[0]?.total ?? 0), deltas: Number(row.rows[0]?.deltas ?? 0) };
}

export async function compactCustomerCount(db: Kysely<DB>) {
  await sql`select crm_compact_customer_count()`.execute(db);
}

/**
 * Matches counted up to `cap` (+1 to know the cap was passed): a broad search over a million
 * customers stops after cap rows instead of visiting every match.
 */
export async function countCustomers(
  db: Kysely<DB>,
  q: CustomerListFilter,
  staffId: string,
  cap?: number,
): Promise<number> {
  const matches = fromCustomers(db)
    .select(sql<number>`1`.as('one'))
    .where((eb) => customerFilters(eb, q, staffId));
  const row = await db
    .selectFrom((cap === undefined ? matches : matches.limit(cap + 1)).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A customer's status and stage, which live on customer_metrics beside the metrics (migration 027). */
export function findCustomerState(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('customer_metrics')
    .select(['customer_status', 'lifecycle_stage'])
    .where('customer_id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Sets whichever of status and stage is given; nothing is written when neither is. */
export async function setCustomerState(
  db: Kysely<DB>,
  id: string,
  state: Pick<Updateable<DB['customer_metrics']>, 'customer_status' | 'lifecycle_stage'>,
) {
  const set = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return;
  await db.updateTable('customer_metrics').set(set).where('customer_id', '=', id).execute();
}

export function findCustomerRow(db: Kysely<DB>, id: string) {
  return fromCustomers(db)
    .leftJoin('staff_users as o', 'o.id', 'c.owner_id')
    .select(customerListColumns)
    .select(['c.communication_preferences', 'c.lifecycle_stage_manual', 'c.erased_at'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}
export type CustomerDetailRow = NonNullable<Awaited<ReturnType<typeof findCustomerRow>>>;

export async function findContacts(db: Kysely<DB>, customerId: string) {
  const [emails, phones, addresses] = await Promise.all([
    db
      .selectFrom('customer_emails')
      .select(['id', 'email', 'label', 'is_primary'])
      .where('customer_id', '=', customerId)
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('customer_phones')
      .select(['id', 'phone', 'label', 'is_primary'])
      .where('customer_id', '=', customerId)
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('customer_addresses')
      .select(['id', 'label', 'line1', 'line2', 'city', 'region', 'postal_code', 'country', 'is_primary'])
      .where('customer_id', '=', customerId)
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  return { emails, phones, addresses };
}

export function findRecentOrders(db: Kysely<DB>, customerId: string, limit = 5) {
  return db
    .selectFrom('orders')
    .select(['id', 'external_id', 'status', 'currency', 'total', 'item_count', 'placed_at'])
    .where('customer_id', '=', customerId)
    .orderBy('placed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Copies the primary email and phone onto the customer row and the primary address's country onto
 * its customer_metrics row (what lists show, sort and filter by) and rebuilds its search text; run
 * after any contact change, in that transaction.
 */
export async function syncPrimaryContact(db: Kysely<DB>, customerId: string) {
  await sql`
    update customers c set
      email = (select e.email from customer_emails e where e.customer_id = c.id
               order by e.is_primary desc, e.created_at, e.id limit 1),
      phone = (select p.phone from customer_phones p where p.customer_id = c.id
               order by p.is_primary desc, p.created_at, p.id limit 1)
    where c.id = ${customerId}`.execute(db);
  // country sits beside status and stage for the filter bar's index (migration 027)
  // written only when it moved: most contact edits leave the country as it was
  await sql`
    update customer_metrics m set country = a.country
    from (select (select a.country from customer_addresses a where a.customer_id = ${customerId}
                  order by a.is_primary desc, a.created_at, a.id limit 1) as country) a
    where m.customer_id = ${customerId} and m.country is distinct from a.country`.execute(db);
  await sql`select crm_refresh_customer_search(${customerId})`.execute(db);
}

/** Ids of customers that already own any of these emails (case-insensitive). */
export async function findEmailOwners(db: Kysely<DB>, emails: string[]) {
  if (emails.length === 0) return [];
  return db
    .selectFrom('customer_emails')
    .select(['customer_id', 'email'])
    .where(
      (eb) => eb.fn('lower', ['email']),
      'in',
      emails.map((e) => e.toLowerCase()),
    )
    .execute();
}

export function insertEvent(
  db: Kysely<DB>,
  event: {
    customer_id: string;
    kind: string;
    actor_id: string | null;
    summary: string;
    data?: Record<string, unknown>;
  },
) {
  return db
    .insertInto('customer_events')
    .values({ ...event, data: JSON.stringify(event.data ?? {}) })
    .execute();
}

export interface TimelineRow {
  id: string;
  kind: string;
  occurred_at: Date;
  occurred_key: string;
  actor_id: string | null;
  actor_name: string | null;
  summary: string;
  data: Record<string, unknown>;
}

/**
 * The customer's feed, newest first: stored events plus orders (read from `orders`, so the feed
 * never disagrees with the order history). Keyset on (occurred_at, id).
 */
export async function findTimeline(
  db: Kysely<DB>,
  customerId: string,
  opts: { kinds: string[] | undefined; limit: number; cursor: Cursor | null },
): Promise<TimelineRow[]> {
  const kinds = opts.kinds?.length ? opts.kinds : null;
  const wantOrders = !kinds || kinds.includes('order_placed');
  const eventKinds = kinds ? kinds.filter((k) => k !== 'order_placed') : null;
  const before = opts.cursor
    ? sql`and (occurred_at, id::text) < (${opts.cursor.v}::timestamptz, ${opts.cursor.id})`
    : sql``;
  const parts = [];
  if (!eventKinds || eventKinds.length > 0) {
    parts.push(sql`
      select e.id::text as id, e.kind, e.occurred_at, e.actor_id::text as actor_id, s.name as actor_name,
             e.summary, e.data
      from customer_events e left join staff_users s on s.id = e.actor_id
      where e.customer_id = ${customerId}
        ${eventKinds ? sql`and e.kind in (${sql.join(eventKinds)})` : sql``}`);
  }
  if (wantOrders) {
    // named columns: with `kind=order_placed` alone this is the only part and names the union
    parts.push(sql`
      select o.id::text as id, 'order_placed' as kind, o.placed_at as occurred_at, null as actor_id,
             null as actor_name,
             'Order ' || coalesce(o.external_id, left(o.id::text, 8)) || ' · ' || o.status as summary,
             jsonb_build_object('order_id', o.id, 'total', o.total, 'currency', o.currency,
                                'status', o.status, 'item_count', o.item_count) as data
      from orders o where o.customer_id = ${customerId}`);
  }
  if (parts.length === 0) return [];
  const result = await sql<TimelineRow>`
    select t.*, t.occurred_at::text as occurred_key from (${sql.join(parts, sql` union all `)}) t
    where true ${before}
    order by t.occurred_at desc, t.id desc
    limit ${opts.limit + 1}`.execute(db);
  return result.rows;
}

export interface ActivityRow extends TimelineRow {
  customer_id: string;
  customer_name: string | null;
}

/** What staff did, newest first, across every customer (the team activity feed). */
export async function findTeamActivity(
  db: Kysely<DB>,
  opts: { actorId: string | undefined; kinds: string[] | undefined; limit: number; cursor: Cursor | null },
): Promise<ActivityRow[]> {
  const result = await sql<ActivityRow>`
    select e.id::text as id, e.kind, e.occurred_at, e.occurred_at::text as occurred_key,
           e.actor_id::text as actor_id, s.name as actor_name, e.summary, e.data,
           e.customer_id::text as customer_id,
           nullif(concat_ws(' ', c.first_name, c.last_name), '') as customer_name
    from customer_events e
    join customers c on c.id = e.customer_id
    left join staff_users s on s.id = e.actor_id
    where e.actor_id is not null
      ${opts.actorId ? sql`and e.actor_id = ${opts.actorId}` : sql``}
      ${opts.kinds?.length ? sql`and e.kind in (${sql.join(opts.kinds)})` : sql``}
      ${opts.cursor ? sql`and (e.occurred_at, e.id::text) < (${opts.cursor.v}::timestamptz, ${opts.cursor.id})` : sql``}
    order by e.occurred_at desc, e.id desc
    limit ${opts.limit + 1}`.execute(db);
  return result.rows;
}
