import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

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
  return rows.length;
}
