import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { maskEmail } from '../../platform/masking.js';
import { recordEmailEvents } from './email-events.service.js';
import { changePreferences } from './preferences.service.js';
import { effectivePreferences } from './preferences.rules.js';

/** Tracking tokens are 24 random bytes in base64url; anything else is not worth a query. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

function findByToken(db: Kysely<DB>, token: string) {
  return db
    .selectFrom('emails as e')
    .innerJoin('customers as c', 'c.id', 'e.customer_id')
    .select(['e.id', 'e.customer_id', 'e.email_address', 'c.communication_preferences'])
    .where('e.tracking_token', '=', token)
    .executeTakeFirst();
}

export interface UnsubscribeTarget {
  /** The address the email went to, masked: the page is public, anyone holding the link sees it. */
  address: string;
  alreadyOff: boolean;
}

/** What the unsubscribe page shows for this email's token; null for an unknown token. */
export async function unsubscribeTarget(deps: AppDeps, token: string): Promise<UnsubscribeTarget | null> {
  if (!TOKEN.test(token)) return null;
  const row = await findByToken(deps.db, token);
  if (!row) return null;
  return {
    address: maskEmail(row.email_address) ?? '',
    alreadyOff: !effectivePreferences(row.communication_preferences).email.marketing,
  };
}

/**
 * Turns marketing email off for the customer this email went to, and records the email's
 * `unsubscribed` event, in one transaction. Idempotent: again, nothing changes (the event's key
 * is the email). Null for an unknown token.
 */
export async function unsubscribe(
  deps: AppDeps,
  token: string,
  source: 'one_click' | 'unsubscribe_link',
): Promise<(UnsubscribeTarget & { changed: boolean }) | null> {
  if (!TOKEN.test(token)) return null;
  return deps.db.transaction().execute(async (trx) => {
    const row = await findByToken(trx, token);
    if (!row) return null;
    const changes = await changePreferences(trx, {
      customerId: row.customer_id,
      patch: { email: { marketing: false } },
      source,
      changedBy: null,
      emailId: row.id,
    });
    await recordEmailEvents(trx, deps.config, [
      { emailId: row.id, kind: 'unsubscribed', source: 'unsubscribe', dedupeKey: `unsubscribe:${row.id}` },
    ]);
    return {
      address: maskEmail(row.email_address) ?? '',
      alreadyOff: true,
      changed: Object.keys(changes).length > 0,
    };
  });
}
