import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Cursor } from '../../platform/cursor.js';

export interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  customer_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  created_key: string;
  read_at: Date | null;
}

function selectNotifications(db: Kysely<DB>) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('staff_users as s', 's.id', 'n.actor_id')
    .select([
      'n.id',
      'n.kind',
      'n.title',
      'n.body',
      'n.link',
      'n.customer_id',
      'n.actor_id',
      's.name as actor_name',
      'n.data',
      'n.created_at',
      sql<string>`n.created_at::text`.as('created_key'),
      'n.read_at',
    ]);
}

/** A recipient's notifications, newest first; keyset on (created_at, id). */
export function findNotifications(
  db: Kysely<DB>,
  recipientId: string,
  opts: { unread: boolean; kind?: string | undefined; limit: number; cursor: Cursor | null },
): Promise<NotificationRow[]> {
  const cursor = opts.cursor;
  return selectNotifications(db)
    .where('n.recipient_id', '=', recipientId)
    .$if(opts.unread, (q) => q.where('n.read_at', 'is', null))
    .$if(opts.kind !== undefined, (q) => q.where('n.kind', '=', opts.kind!))
    .$if(cursor !== null, (q) =>
      q.where(sql<boolean>`(n.created_at, n.id) < (${cursor!.v}::timestamptz, ${cursor!.id}::uuid)`),
    )
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(opts.limit + 1)
    .execute() as Promise<NotificationRow[]>;
}

export async function countUnread(db: Kysely<DB>, recipientId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the recipient's notifications read (kept as first read); undefined when not theirs. */
export async function markRead(db: Kysely<DB>, recipientId: string, id: string) {
  const row = await db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .returning('id')
    .executeTakeFirst();
  if (!row) return undefined;
  return (await selectNotifications(db).where('n.id', '=', id).executeTakeFirst()) as
    | NotificationRow
    | undefined;
}

export async function markAllRead(db: Kysely<DB>, recipientId: string): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Of the given ids, those of enabled staff users. */
export async function findActiveStaffIds(db: Kysely<DB>, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('staff_users')
    .select('id')
    .where('id', 'in', ids)
    .where('disabled', '=', false)
    .execute();
  return rows.map((r) => r.id);
}
