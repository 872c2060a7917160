import { type Kysely, sql } from 'kysely';
import type { Email, Thread, ThreadList } from '../../../shared/communications.js';
import type { DB } from '../../db/schema.js';
import { type Cursor, decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { maskEmail } from '../../platform/masking.js';
import { type Principal, can } from '../../platform/principal.js';
import { assertCustomerExists } from '../customers/customers.service.js';
import { toEmail } from './emails.mapper.js';
import { findEmailEvents, selectEmails } from './emails.queries.js';

const SORT_KEY = 'threads';

/**
 * One page of the customer's threads, newest activity first: keyset on (last message time,
 * thread id), the time carried as PostgreSQL's own text so no microseconds are lost.
 */
function findThreadPage(db: Kysely<DB>, customerId: string, limit: number, cursor: Cursor | null) {
  let q = db
    .selectFrom('emails as e')
    .select([
      'e.thread_id',
      sql<string>`max(e.created_at)::text`.as('last_key'),
      sql<Date>`max(e.created_at)`.as('last_at'),
      sql<number>`count(*)::int`.as('message_count'),
    ])
    .where('e.customer_id', '=', customerId)
    .groupBy('e.thread_id');
  if (cursor) {
    q = q.having(
      sql<boolean>`(max(e.created_at), e.thread_id::text) < (${cursor.v}::timestamptz, ${cursor.id})`,
    );
  }
  return q
    .orderBy(sql`max(e.created_at)`, 'desc')
    .orderBy(sql`e.thread_id::text`, 'desc')
    .limit(limit + 1)
    .execute();
}

/** The customer's side of an email (recipient of outbound, sender of inbound) is personal data. */
function maskAddresses(email: Email): Email {
  return {
    ...email,
    email_address: maskEmail(email.email_address) ?? '',
    from_address: email.direction === 'inbound' ? (maskEmail(email.from_address) ?? '') : email.from_address,
  };
}

/**
 * GET /communications/:customerId: the customer's emails grouped into threads, newest thread
 * first, messages oldest first with their events. Four queries a page (customer, threads,
 * messages, events), however many threads.
 */
export async function listThreads(
  deps: AppDeps,
  principal: Principal,
  customerId: string,
  q: { limit: number; cursor?: string | undefined },
): Promise<ThreadList> {
  await assertCustomerExists(deps.db, customerId);
  const cursor = decodeCursor(q.cursor, SORT_KEY);
  const rows = await findThreadPage(deps.db, customerId, q.limit, cursor);
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const threadIds = page.map((t) => t.thread_id);

  const messages =
    threadIds.length === 0
      ? []
      : await selectEmails(deps.db)
          .where('e.customer_id', '=', customerId)
          .where('e.thread_id', 'in', threadIds)
          .orderBy('e.created_at')
          .orderBy('e.id')
          .execute();
  const events = await findEmailEvents(
    deps.db,
    messages.map((m) => m.id),
  );
  const eventsOf = new Map<string, Thread['messages'][number]['events']>();
  for (const ev of events) {
    const list = eventsOf.get(ev.email_id) ?? [];
    list.push({
      kind: ev.kind,
      occurred_at: ev.occurred_at.toISOString(),
      machine: ev.machine,
      machine_reason: ev.machine_reason,
      link_url: ev.link_url,
    });
    eventsOf.set(ev.email_id, list);
  }
  const pii = can(principal, 'customers:pii');
  const byThread = new Map<string, Thread['messages']>();
  for (const row of messages) {
    const email = pii ? toEmail(row) : maskAddresses(toEmail(row));
    const list = byThread.get(row.thread_id) ?? [];
    list.push({ ...email, events: eventsOf.get(row.id) ?? [] });
    byThread.set(row.thread_id, list);
  }

  const last = page[page.length - 1];
  return {
    data: page.map((t) => {
      const list = byThread.get(t.thread_id) ?? [];
      return {
        thread_id: t.thread_id,
        // the thread is named by its first message, as mail clients do
        subject: list[0]?.subject ?? '',
        last_at: new Date(t.last_at).toISOString(),
        message_count: Number(t.message_count),
        messages: list,
      };
    }),
    next_cursor: hasMore && last ? encodeCursor({ s: SORT_KEY, v: last.last_key, id: last.thread_id }) : null,
    outbox: deps.config.mail.smtpUrl === undefined,
  };
}
