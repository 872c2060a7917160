import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { metricColumns } from '../criteria/criteria.source.js';

/**
 * Data-subject requests read and rewrite every table that holds something about one person. That
 * is the one place where a module reaches into the others' tables: a complete answer has to, and
 * the list below is where someone adding a table with personal data looks.
 */

export type Row = Record<string, unknown>;

/** The customer row with its order metrics and predicted value (kept apart, migration 026). */
export function findSubject(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('customers as c')
    .innerJoin('customer_metrics as m', 'm.customer_id', 'c.id')
    .selectAll('c')
    .select(metricColumns.map((col) => `m.${col}` as const))
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** The customer row locked for the erasure, so two erasures of one person cannot interleave. */
export function lockSubject(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('customers')
    .select(['id', 'erased_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Every record about the customer, by kind; children still flat (the service nests them). */
export async function findSubjectRecords(db: Kysely<DB>, id: string) {
  return {
    contact_emails: await db
      .selectFrom('customer_emails')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('created_at')
      .execute(),
    contact_phones: await db
      .selectFrom('customer_phones')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('created_at')
      .execute(),
    contact_addresses: await db
      .selectFrom('customer_addresses')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('created_at')
      .execute(),
    orders: await db
      .selectFrom('orders')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('placed_at')
      .orderBy('id')
      .execute(),
    order_items: await db
      .selectFrom('order_items as i')
      .innerJoin('orders as o', 'o.id', 'i.order_id')
      .selectAll('i')
      .where('o.customer_id', '=', id)
      .execute(),
    notes: await db
      .selectFrom('notes')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('created_at')
      .execute(),
    note_revisions: await db
      .selectFrom('note_revisions as r')
      .innerJoin('notes as n', 'n.id', 'r.note_id')
      .selectAll('r')
      .where('n.customer_id', '=', id)
      .orderBy('r.version')
      .execute(),
    interactions: await db
      .selectFrom('interactions')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('occurred_at')
      .execute(),
    tickets: await db
      .selectFrom('tickets')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('created_at')
      .execute(),
    ticket_comments: await db
      .selectFrom('ticket_comments as c')
      .innerJoin('tickets as t', 't.id', 'c.ticket_id')
      .selectAll('c')
      .where('t.customer_id', '=', id)
      .orderBy('c.created_at')
      .execute(),
    tasks: await db
      .selectFrom('tasks')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('created_at')
      .execute(),
    emails: await db
      .selectFrom('emails')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('created_at')
      .execute(),
    email_events: await db
      .selectFrom('email_events as ev')
      .innerJoin('emails as e', 'e.id', 'ev.email_id')
      .selectAll('ev')
      .where('e.customer_id', '=', id)
      .orderBy('ev.occurred_at')
      .execute(),
    email_links: await db
      .selectFrom('email_links as l')
      .innerJoin('emails as e', 'e.id', 'l.email_id')
      .selectAll('l')
      .where('e.customer_id', '=', id)
      .orderBy('l.position')
      .execute(),
    email_campaign_skips: await db
      .selectFrom('email_campaign_skips as s')
      .innerJoin('email_campaigns as c', 'c.id', 's.campaign_id')
      .select(['s.campaign_id', 'c.name as campaign_name', 's.reason', 'c.created_at'])
      .where('s.customer_id', '=', id)
      .execute(),
    communication_preference_changes: await db
      .selectFrom('communication_preference_changes')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('changed_at')
      .execute(),
    tags: await db
      .selectFrom('customer_tags as ct')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .select(['t.id', 't.name', 't.color', 't.description', 'ct.tagged_by', 'ct.tagged_at'])
      .where('ct.customer_id', '=', id)
      .execute(),
    segments: await db
      .selectFrom('segment_members as m')
      .innerJoin('segments as s', 's.id', 'm.segment_id')
      .select(['s.id', 's.name', 's.description', 's.auto_update', 'm.added_at'])
      .where('m.customer_id', '=', id)
      .execute(),
    lifecycle_transitions: await db
      .selectFrom('lifecycle_transitions')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('occurred_at')
      .execute(),
    rfm: await db.selectFrom('customer_rfm').selectAll().where('customer_id', '=', id).execute(),
    // derived from orders (migration 009), not in the typed schema
    purchase_categories: (
      await sql<Row>`select * from customer_categories where customer_id = ${id} order by category`.execute(
        db,
      )
    ).rows,
    timeline: await db
      .selectFrom('customer_events')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute(),
    // staff notifications that name them (mentions, task reminders)
    notifications: await db
      .selectFrom('notifications')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('created_at')
      .execute(),
  };
}

// ------------------------------------------------------------------------------------ erasure

/** The text that replaces free text written about the person. */
export const ERASED_TEXT = '[erased]';
/** Replaces the person's address in mail rows (`.invalid` can never be delivered to). */
export const ERASED_ADDRESS = 'erased@erased.invalid';

const erasedOrNull = (column: string) =>
  sql<string | null>`case when ${sql.ref(column)} is null then null else ${ERASED_TEXT} end`;

/** Keeps only the ids in a JSON object (`note_id`, `order_id`...): links survive, text does not. */
const idsOnly = (column: string) => sql<string>`case when jsonb_typeof(${sql.ref(column)}) = 'object' then
  coalesce((select jsonb_object_agg(key, value) from jsonb_each(${sql.ref(column)})
            where key ~ '_id$' and jsonb_typeof(value) = 'string'
              and value #>> '{}' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
           '{}'::jsonb)
  else '{}'::jsonb end`;

const affected = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined) =>
  Number(r?.numUpdatedRows ?? r?.numDeletedRows ?? 0);

/**
 * Remembers every address the person used (contacts, the profile, their mail) as a hash; returns
 * how many distinct addresses that was. Must run before the contacts are deleted.
 */
export async function rememberErasedEmails(db: Kysely<DB>, id: string): Promise<number> {
  const result = await sql<{ n: string | number }>`
    with addresses as (
      select distinct crm_email_hash(a) as email_hash from (
        select email as a from customer_emails where customer_id = ${id}
        union all select email from customers where id = ${id}
        union all select email_address from emails where customer_id = ${id}
      ) s where a is not null and trim(a) <> '' and a <> ${ERASED_ADDRESS}
    ), stored as (
      insert into erased_identities (email_hash) select email_hash from addresses
      on conflict (email_hash) do nothing
    )
    select count(*) as n from addresses`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export async function deleteContacts(db: Kysely<DB>, id: string) {
  const del = async (table: 'customer_emails' | 'customer_phones' | 'customer_addresses') =>
    affected(await db.deleteFrom(table).where('customer_id', '=', id).executeTakeFirst());
  return {
    contact_emails: await del('customer_emails'),
    contact_phones: await del('customer_phones'),
    contact_addresses: await del('customer_addresses'),
  };
}

/** The profile without anything that identifies the person; metrics and orders stay. */
export async function anonymiseProfile(db: Kysely<DB>, id: string): Promise<Date> {
  const row = await db
    .updateTable('customers')
    .set({
      first_name: null,
      last_name: null,
      company: null,
      email: null,
      phone: null,
      erased_at: sql`now()`,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .returning('erased_at')
    .executeTakeFirstOrThrow();
  // the country came from their address; it sits beside the metrics (migration 027)
  await db.updateTable('customer_metrics').set({ country: null }).where('customer_id', '=', id).execute();
  // names, emails and phones are gone, so this leaves the search text empty
  await sql`select crm_refresh_customer_search(${id})`.execute(db);
  return row.erased_at!;
}

/** Notes, their edit history, interactions, tickets with comments and tasks about the person. */
export async function eraseServiceRecords(db: Kysely<DB>, id: string) {
  const notes = await db
    .updateTable('notes')
    .set({ content: ERASED_TEXT, version: sql`version + 1`, updated_at: sql`now()` })
    .where('customer_id', '=', id)
    .executeTakeFirst();
  const revisions = await db
    .updateTable('note_revisions')
    .set({ content: ERASED_TEXT })
    .where('note_id', 'in', (eb) => eb.selectFrom('notes').select('notes.id').where('customer_id', '=', id))
    .executeTakeFirst();
  const interactions = await db
    .updateTable('interactions')
    .set({
      subject: ERASED_TEXT,
      description: erasedOrNull('description'),
      outcome: erasedOrNull('outcome'),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('customer_id', '=', id)
    .executeTakeFirst();
  const tickets = await db
    .updateTable('tickets')
    .set({
      subject: ERASED_TEXT,
      description: erasedOrNull('description'),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('customer_id', '=', id)
    .executeTakeFirst();
  const comments = await db
    .updateTable('ticket_comments')
    .set({ body: ERASED_TEXT, external_author: null })
    .where('ticket_id', 'in', (eb) => eb.selectFrom('tickets').select('id').where('customer_id', '=', id))
    .executeTakeFirst();
  const tasks = await db
    .updateTable('tasks')
    .set({
      title: ERASED_TEXT,
      description: erasedOrNull('description'),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('customer_id', '=', id)
    .executeTakeFirst();
  return {
    notes: affected(notes),
    note_revisions: affected(revisions),
    interactions: affected(interactions),
    tickets: affected(tickets),
    ticket_comments: affected(comments),
    tasks: affected(tasks),
  };
}

/**
 * Mail: addresses, subjects, bodies and threading headers go; status, times and counts stay for
 * the aggregate analytics. New tokens make the old pixel, unsubscribe and reply links dead, the
 * tracked links are deleted, and mail still queued is not sent.
 */
export async function eraseMail(db: Kysely<DB>, id: string) {
  const emails = await db
    .updateTable('emails')
    .set({
      email_address: ERASED_ADDRESS,
      from_address: sql`case when direction = 'inbound' then ${ERASED_ADDRESS} else from_address end`,
      subject: ERASED_TEXT,
      body_text: erasedOrNull('body_text'),
      body_html: erasedOrNull('body_html'),
      // unique and meaningless: a later message quoting the old Message-ID finds nothing
      message_id: sql`'erased.' || id || '@erased.invalid'`,
      in_reply_to: null,
      reference_ids: sql`'{}'::text[]`,
      tracking_token: sql`'erased.' || gen_random_uuid()`,
      error: sql`case when status = 'queued' then 'Not sent: the customer was erased'
                      when error is null then null else ${ERASED_TEXT} end`,
      status: sql`case when status = 'queued' then 'failed' else status end`,
    })
    .where('customer_id', '=', id)
    .executeTakeFirst();
  const mailOf = db.selectFrom('emails').select('id').where('customer_id', '=', id);
  const events = await db
    .updateTable('email_events')
    .set({
      ip: null,
      user_agent: null,
      // an inbound event's key is the reply's Message-ID, a header like the ones above
      dedupe_key: sql`case when source = 'inbound' then null else dedupe_key end`,
    })
    .where('email_id', 'in', mailOf)
    .executeTakeFirst();
  const links = await db.deleteFrom('email_links').where('email_id', 'in', mailOf).executeTakeFirst();
  return { emails: affected(emails), email_events: affected(events), email_links: affected(links) };
}

/**
 * The timeline keeps what happened and when, with a neutral summary from its kind ("Note added")
 * and only the ids of its data; staff notifications about the person lose their text the same way.
 */
export async function eraseTimeline(db: Kysely<DB>, id: string) {
  const label = sql<string>`upper(left(replace(kind, '_', ' '), 1)) || substr(replace(kind, '_', ' '), 2)`;
  const events = await db
    .updateTable('customer_events')
    .set({ summary: label, data: idsOnly('data') })
    .where('customer_id', '=', id)
    .executeTakeFirst();
  const notifications = await db
    .updateTable('notifications')
    .set({ title: 'About an erased customer', body: null, data: idsOnly('data') })
    .where('customer_id', '=', id)
    .executeTakeFirst();
  return { timeline_events: affected(events), notifications: affected(notifications) };
}

/**
 * Tags and hand-picked segment memberships are staff's judgements of a person: removed. Automatic
 * segments keep following their criteria (over what is left: order behaviour).
 */
export async function removeGroupings(db: Kysely<DB>, id: string) {
  const tags = await db.deleteFrom('customer_tags').where('customer_id', '=', id).executeTakeFirst();
  const segments = await sql<{ n: string | number }>`
    with removed as (
      delete from segment_members m using segments s
      where m.customer_id = ${id} and s.id = m.segment_id and not s.auto_update
      returning m.segment_id
    ), counted as (
      update segments s set customer_count = greatest(s.customer_count - 1, 0)
      from removed r where s.id = r.segment_id
    )
    select count(*) as n from removed`.execute(db);
  return { tags: affected(tags), segments: Number(segments.rows[0]?.n ?? 0) };
}

/**
 * Reminder mail about the person's tasks carries the task title and their name in its job payload:
 * not yet sent, it is dropped; sent, its payload is emptied (the job row itself stays).
 */
export async function eraseReminderMail(db: Kysely<DB>, id: string, mailJobKind: string) {
  const prefixes = sql`(select ${mailJobKind} || ':task-reminder:' || t.id || ':' from tasks t
                        where t.customer_id = ${id})`;
  const dropped = await sql`
    delete from jobs j where j.kind = ${mailJobKind} and j.status = 'queued'
      and exists (select 1 from ${prefixes} as p(prefix) where starts_with(j.dedupe_key, p.prefix))`.execute(
    db,
  );
  const scrubbed = await sql`
    update jobs j set payload = '{}'::jsonb where j.kind = ${mailJobKind} and j.status <> 'queued'
      and exists (select 1 from ${prefixes} as p(prefix) where starts_with(j.dedupe_key, p.prefix))`.execute(
    db,
  );
  return Number(dropped.numAffectedRows ?? 0) + Number(scrubbed.numAffectedRows ?? 0);
}
