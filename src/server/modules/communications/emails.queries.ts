import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, EmailsTable } from '../../db/schema.js';

/** An email row with the names the API shows beside it. */
export type EmailRow = Omit<Selectable<EmailsTable>, 'tracking_token' | 'reference_ids' | 'in_reply_to'> & {
  template_name: string | null;
  campaign_name: string | null;
  sent_by_name: string | null;
};

/** Emails with their template, campaign and sender names; add where/order/limit. */
export function selectEmails(db: Kysely<DB>) {
  return db
    .selectFrom('emails as e')
    .leftJoin('email_templates as tpl', 'tpl.id', 'e.template_id')
    .leftJoin('email_campaigns as cmp', 'cmp.id', 'e.campaign_id')
    .leftJoin('staff_users as s', 's.id', 'e.sent_by')
    .selectAll('e')
    .select(['tpl.name as template_name', 'cmp.name as campaign_name', 's.name as sent_by_name']);
}

export function findEmail(db: Kysely<DB>, id: string): Promise<EmailRow | undefined> {
  return selectEmails(db).where('e.id', '=', id).executeTakeFirst();
}

/** Events of these emails, oldest first, with the URL of clicked links. */
export function findEmailEvents(db: Kysely<DB>, emailIds: readonly string[]) {
  if (emailIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('email_events as ev')
    .leftJoin('email_links as l', (j) =>
      j.onRef('l.email_id', '=', 'ev.email_id').onRef('l.position', '=', 'ev.link_position'),
    )
    .select([
      'ev.email_id',
      'ev.kind',
      'ev.occurred_at',
      'ev.machine',
      'ev.machine_reason',
      'l.url as link_url',
    ])
    .where('ev.email_id', 'in', emailIds)
    .orderBy('ev.occurred_at')
    .orderBy('ev.id')
    .execute();
}

/** The customer's address and name, for mail to them; undefined when no such customer. */
export function findRecipient(db: Kysely<DB>, customerId: string) {
  return db
    .selectFrom('customers as c')
    .select([
      'c.id',
      'c.email',
      'c.communication_preferences',
      sql<string | null>`nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '')`.as('name'),
    ])
    .where('c.id', '=', customerId)
    .executeTakeFirst();
}
