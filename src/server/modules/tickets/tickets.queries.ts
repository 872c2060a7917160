import { type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { TicketPriority, TicketStatus } from '../../../shared/tickets.js';
import type { DB } from '../../db/schema.js';
import type { Cursor } from '../../platform/cursor.js';

type TicketsEb = ExpressionBuilder<DB & { t: DB['tickets'] }, 't'>;

/**
 * Which SLA clock ran out while the ticket is neither resolved nor closed: the first response
 * (no public reply yet past its due time) or the resolution; null when none.
 */
const breachSql = sql<'first_response' | 'resolution' | null>`(case
  when t.status not in ('open', 'pending') then null
  when t.first_response_at is null and t.first_response_due_at < now() then 'first_response'
  when t.sla_due_at < now() then 'resolution' end)`;
const breachedSql = sql<SqlBool>`(${breachSql} is not null)`;

const customerName = sql<string | null>`(select coalesce(
    nullif(concat_ws(' ', c.first_name, c.last_name), ''), c.company, c.email)
  from customers c where c.id = t.customer_id)`;
const assigneeName = sql<string | null>`(select coalesce(s.name, s.email)
  from staff_users s where s.id = t.assignee_id)`;

function ticketsWithNames(db: Kysely<DB>) {
  return db
    .selectFrom('tickets as t')
    .selectAll('t')
    .select([
      customerName.as('customer_name'),
      assigneeName.as('assignee_name'),
      breachSql.as('breach'),
      sql<string>`t.sla_due_at::text`.as('sla_key'),
      sql<string>`t.created_at::text`.as('created_key'),
    ]);
}

export type TicketRow = NonNullable<Awaited<ReturnType<typeof findTicket>>>;

export function findTicket(db: Kysely<DB>, id: string) {
  return ticketsWithNames(db).where('t.id', '=', id).executeTakeFirst();
}

export interface TicketFilter {
  status?: TicketStatus[] | undefined;
  priority?: TicketPriority[] | undefined;
  /** a staff id, or null for unassigned */
  assigneeId?: string | null | undefined;
  customerId?: string | undefined;
  breached?: boolean | undefined;
}

/** The filters other than status and breached (the counts are taken under these). */
function baseFilter(eb: TicketsEb, f: TicketFilter) {
  const and = [];
  if (f.priority?.length) and.push(eb('t.priority', 'in', f.priority));
  if (f.assigneeId === null) and.push(eb('t.assignee_id', 'is', null));
  else if (f.assigneeId) and.push(eb('t.assignee_id', '=', f.assigneeId));
  if (f.customerId) and.push(eb('t.customer_id', '=', f.customerId));
  return eb.and(and);
}

export async function findTicketPage(
  db: Kysely<DB>,
  filter: TicketFilter,
  sort: { field: 'sla_due_at' | 'created_at'; order: 'asc' | 'desc' },
  limit: number,
  cursor: Cursor | null,
) {
  let q = ticketsWithNames(db).where((eb) => baseFilter(eb, filter));
  if (filter.status?.length) q = q.where('t.status', 'in', filter.status);
  if (filter.breached === true) q = q.where(breachedSql);
  if (filter.breached === false) q = q.where(sql<SqlBool>`not ${breachedSql}`);
  const col = sql.ref(`t.${sort.field}`);
  if (cursor) {
    const cmp = sort.order === 'asc' ? sql.raw('>') : sql.raw('<');
    q = q.where(sql<SqlBool>`(${col}, t.id) ${cmp} (${cursor.v}::timestamptz, ${cursor.id}::uuid)`);
  }
  return q
    .orderBy(`t.${sort.field}`, sort.order)
    .orderBy('t.id', sort.order)
    .limit(limit + 1)
    .execute();
}

/** Tickets per status, and breached ones, under the list's filters other than status and breached. */
export async function countTickets(db: Kysely<DB>, filter: TicketFilter) {
  const row = await db
    .selectFrom('tickets as t')
    .where((eb) => baseFilter(eb, filter))
    .select([
      sql<string>`count(*) filter (where t.status = 'open')`.as('open'),
      sql<string>`count(*) filter (where t.status = 'pending')`.as('pending'),
      sql<string>`count(*) filter (where t.status = 'resolved')`.as('resolved'),
      sql<string>`count(*) filter (where t.status = 'closed')`.as('closed'),
      sql<string>`count(*) filter (where ${breachedSql})`.as('breached'),
    ])
    .executeTakeFirstOrThrow();
  return {
    open: Number(row.open),
    pending: Number(row.pending),
    resolved: Number(row.resolved),
    closed: Number(row.closed),
    breached: Number(row.breached),
  };
}

/** Locks the ticket for a change; undefined when there is none. */
export function lockTicket(db: Kysely<DB>, id: string) {
  return ticketsWithNames(db).where('t.id', '=', id).forUpdate('t').executeTakeFirst();
}

export function lockTicketByExternalId(db: Kysely<DB>, source: string, externalId: string) {
  return ticketsWithNames(db)
    .where('t.external_source', '=', source)
    .where('t.external_id', '=', externalId)
    .forUpdate('t')
    .executeTakeFirst();
}

export interface TicketValues {
  customer_id: string | null;
  subject: string;
  description: string | null;
  status?: TicketStatus;
  priority: TicketPriority;
  assignee_id: string | null;
  created_by: string | null;
  external_source?: string | null;
  external_id?: string | null;
  resolved_at?: Date | null;
  closed_at?: Date | null;
}

export interface SlaMinutes {
  first_response_minutes: number;
  resolution_minutes: number;
}

/** Inserts a ticket with its two due times counted from now. */
export async function insertTicket(db: Kysely<DB>, values: TicketValues, sla: SlaMinutes) {
  const row = await db
    .insertInto('tickets')
    .values({
      ...values,
      first_response_due_at: sql<Date>`now() + make_interval(mins => ${sla.first_response_minutes})`,
      sla_due_at: sql<Date>`now() + make_interval(mins => ${sla.resolution_minutes})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface TicketChanges {
  subject?: string;
  description?: string | null;
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee_id?: string | null;
  resolved_at?: Date | null;
  closed_at?: Date | null;
  customer_id?: string | null;
  /** when the priority changes: its policy's minutes, counted from created_at */
  sla?: SlaMinutes;
}

/** Applies the changes and bumps the version. */
export function updateTicketRow(db: Kysely<DB>, id: string, changes: TicketChanges) {
  const { sla, ...values } = changes;
  return db
    .updateTable('tickets')
    .set({
      ...values,
      ...(sla !== undefined
        ? {
            first_response_due_at: sql<Date>`created_at + make_interval(mins => ${sla.first_response_minutes})`,
            sla_due_at: sql<Date>`created_at + make_interval(mins => ${sla.resolution_minutes})`,
          }
        : {}),
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Sets first_response_at unless it is set already. */
export function markFirstResponse(db: Kysely<DB>, id: string) {
  return db
    .updateTable('tickets')
    .set({ first_response_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('first_response_at', 'is', null)
    .execute();
}

/** Oldest first; comments carry clock_timestamp(), so several in one transaction keep their order. */
export function findComments(db: Kysely<DB>, ticketId: string) {
  return db
    .selectFrom('ticket_comments as c')
    .leftJoin('staff_users as s', 's.id', 'c.author_id')
    .select([
      'c.id',
      'c.body',
      'c.visibility',
      'c.author_id',
      sql<string | null>`coalesce(s.name, s.email)`.as('author_name'),
      'c.external_author',
      'c.created_at',
    ])
    .where('c.ticket_id', '=', ticketId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

export type CommentRow = Awaited<ReturnType<typeof findComments>>[number];

export async function insertComment(
  db: Kysely<DB>,
  values: {
    ticket_id: string;
    body: string;
    visibility: 'public' | 'internal';
    author_id: string | null;
    external_author?: string | null;
  },
) {
  const row = await db
    .insertInto('ticket_comments')
    .values({ ...values, created_at: sql<Date>`clock_timestamp()` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A new comment's time: now, but never before the ticket's latest comment. The embedded engine's
 * clock has millisecond resolution, so two comments of one delivery could tie and then sort by
 * their random ids.
 */
const commentTime = (ticketId: string) => sql`greatest(clock_timestamp(),
  (select max(created_at) + interval '1 microsecond' from ticket_comments where ticket_id = ${ticketId}::uuid))`;

/**
 * A comment from an external help desk; false when it is there already (the same external id,
 * or without one the same author and text), so a repeated delivery adds nothing.
 */
export async function insertExternalComment(
  db: Kysely<DB>,
  c: { ticketId: string; externalId: string | null; body: string; visibility: string; author: string },
): Promise<boolean> {
  if (c.externalId === null) {
    const result = await sql`
      insert into ticket_comments (ticket_id, body, visibility, external_author, created_at)
      select ${c.ticketId}::uuid, ${c.body}, ${c.visibility}, ${c.author}, ${commentTime(c.ticketId)}
      where not exists (select 1 from ticket_comments
        where ticket_id = ${c.ticketId}::uuid and external_author = ${c.author} and body = ${c.body})`.execute(
      db,
    );
    return Number(result.numAffectedRows ?? 0) > 0;
  }
  const result = await sql`
    insert into ticket_comments (ticket_id, body, visibility, external_author, external_id, created_at)
    values (${c.ticketId}::uuid, ${c.body}, ${c.visibility}, ${c.author}, ${c.externalId}, ${commentTime(c.ticketId)})
    on conflict (ticket_id, external_id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export function findSlaPolicies(db: Kysely<DB>) {
  return db
    .selectFrom('ticket_sla_policies')
    .select(['priority', 'first_response_minutes', 'resolution_minutes'])
    .orderBy(sql`array_position(array['urgent', 'high', 'normal', 'low'], priority)`)
    .execute();
}

/** The SLA policy's minutes for this priority. */
export function slaMinutesOf(db: Kysely<DB>, priority: TicketPriority): Promise<SlaMinutes> {
  return db
    .selectFrom('ticket_sla_policies')
    .select(['first_response_minutes', 'resolution_minutes'])
    .where('priority', '=', priority)
    .executeTakeFirstOrThrow();
}

export function upsertSlaPolicy(
  db: Kysely<DB>,
  p: { priority: TicketPriority; first_response_minutes: number; resolution_minutes: number },
) {
  return db
    .insertInto('ticket_sla_policies')
    .values(p)
    .onConflict((oc) =>
      oc.column('priority').doUpdateSet({
        first_response_minutes: p.first_response_minutes,
        resolution_minutes: p.resolution_minutes,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

/** The staff user, if there is one and they are not disabled. */
export function findActiveStaff(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('staff_users')
    .select(['id', 'name', 'email'])
    .where('id', '=', id)
    .where('disabled', '=', false)
    .executeTakeFirst();
}

export function findCustomerIdByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('customer_emails')
    .select('customer_id')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/** Records a signed inbound delivery; false when it was processed before (a replay). */
export async function recordDelivery(db: Kysely<DB>, source: string, deliveryId: string): Promise<boolean> {
  const row = await db
    .insertInto('inbound_deliveries')
    .values({ source, delivery_id: deliveryId })
    .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
    .returning('delivery_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets deliveries received before `before` (past the replay window, a repeat fails its timestamp check). */
export async function deleteDeliveriesBefore(db: Kysely<DB>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('inbound_deliveries')
    .where('received_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
