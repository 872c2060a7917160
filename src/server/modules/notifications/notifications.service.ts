import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import type {
  Notification,
  NotificationList,
  NotificationsReadAll,
  notificationListQuerySchema,
} from '../../../shared/notifications.js';
import type { DB } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { NOTIFICATIONS_CHANNEL, type NotificationNotice } from '../../platform/events.js';
import { notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { parseMentions, snippetOf } from '../../../shared/mentions.js';
import {
  type NotificationRow,
  countUnread,
  findActiveStaffIds,
  findNotifications,
  markAllRead,
  markRead,
} from './notifications.queries.js';

export interface NotifyInput {
  recipientIds: string[];
  /** mention, task_reminder, task_assigned, ticket_assigned, ... */
  kind: string;
  title: string;
  body?: string | null;
  /** Where the app takes the reader, e.g. `/customers/<id>`. */
  link?: string | null;
  customerId?: string | null;
  actorId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Notifies staff users in the caller's transaction (so a notification exists exactly when its
 * cause does). Nobody is notified of their own action. Returns how many notifications were made.
 */
export async function notify(db: Kysely<DB>, input: NotifyInput): Promise<number> {
  const recipients = [...new Set(input.recipientIds)].filter((id) => id !== input.actorId);
  if (recipients.length === 0) return 0;
  const rows = await db
    .insertInto('notifications')
    .values(
      recipients.map((recipient_id) => ({
        recipient_id,
        kind: input.kind,
        title: input.title,
        body: input.body ?? null,
        link: input.link ?? null,
        customer_id: input.customerId ?? null,
        actor_id: input.actorId ?? null,
        data: JSON.stringify(input.data ?? {}),
      })),
    )
    .returning('id')
    .execute();
  // delivered at commit, to the recipients' open browsers through any server process
  const notice: NotificationNotice = { recipient_ids: recipients, kind: input.kind };
  await sql`SELECT pg_notify(${NOTIFICATIONS_CHANNEL}, ${JSON.stringify(notice)})`.execute(db);
  return rows.length;
}

export interface MentionInput {
  /** The markdown as saved, and as it was before an edit (those mentioned already heard of it). */
  markdown: string;
  before?: string;
  actorId: string;
  /** "Ana mentioned you on Jane Doe", "... on ticket #12". */
  title: string;
  link: string;
  customerId: string | null;
  data: Record<string, unknown>;
}

/**
 * Notifies the enabled staff newly mentioned (`@[Name](staff:<id>)`) in a note or comment, in the
 * caller's transaction; the writer never hears of their own mention.
 */
export async function notifyMentions(db: Kysely<DB>, input: MentionInput): Promise<number> {
  const earlier = new Set(parseMentions(input.before ?? ''));
  const added = parseMentions(input.markdown).filter((id) => !earlier.has(id));
  const recipients = await findActiveStaffIds(db, added);
  return notify(db, {
    recipientIds: recipients,
    kind: 'mention',
    title: input.title,
    body: snippetOf(input.markdown),
    link: input.link,
    customerId: input.customerId,
    actorId: input.actorId,
    data: input.data,
  });
}

function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    customer_id: row.customer_id,
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name } : null,
    data: row.data ?? {},
    created_at: row.created_at.toISOString(),
    read_at: row.read_at?.toISOString() ?? null,
  };
}

const SORT_KEY = 'created_at:desc';

/** The caller's own notifications, newest first, with how many are unread in all. */
export async function listNotifications(
  deps: AppDeps,
  principal: Principal,
  query: z.output<typeof notificationListQuerySchema>,
): Promise<NotificationList> {
  const cursor = decodeCursor(query.cursor, SORT_KEY);
  const [rows, unread_count] = await Promise.all([
    findNotifications(deps.db, principal.staffId, {
      unread: query.unread ?? false,
      kind: query.kind,
      limit: query.limit,
      cursor,
    }),
    countUnread(deps.db, principal.staffId),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toNotification),
    next_cursor:
      rows.length > query.limit && last
        ? encodeCursor({ s: SORT_KEY, v: last.created_key, id: last.id })
        : null,
    unread_count,
  };
}

/** Marks one of the caller's notifications read; another user's is a 404. */
export async function readNotification(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<Notification> {
  const row = await markRead(deps.db, principal.staffId, id);
  if (!row) throw notFound('Notification');
  return toNotification(row);
}

export async function readAllNotifications(
  deps: AppDeps,
  principal: Principal,
): Promise<NotificationsReadAll> {
  const marked = await markAllRead(deps.db, principal.staffId);
  return { marked, unread_count: await countUnread(deps.db, principal.staffId) };
}
