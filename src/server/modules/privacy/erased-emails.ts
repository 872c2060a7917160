import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';

/**
 * The guard every path that creates a customer from an email goes through (manual creation, CSV
 * import, orders by email; the sign-up trigger has the same check in SQL). Kept apart from the
 * privacy service so the customers and orders modules can use it without an import cycle.
 */

/**
 * Which of these emails belonged to an erased person. The hash is computed by the database's
 * crm_email_hash() (migration 019), the same function the sign-up trigger uses, so the two
 * never disagree on trimming or case.
 */
export async function findErasedEmails(db: Kysely<DB>, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const result = await sql<{ email: string }>`
    select v.email from (values ${sql.join(emails.map((e) => sql`(${e}::text)`))}) as v(email)
    where exists (select 1 from erased_identities x where x.email_hash = crm_email_hash(v.email))`.execute(
    db,
  );
  return new Set(result.rows.map((r) => r.email));
}

/** A 409 naming the field of the first erased email; nothing when none was erased. */
export async function refuseErasedEmails(
  db: Kysely<DB>,
  emails: string[],
  field: (index: number) => string,
): Promise<void> {
  const erased = await findErasedEmails(db, emails);
  const index = emails.findIndex((e) => erased.has(e));
  if (index < 0) return;
  const message =
    'This email belonged to a customer whose personal data was erased on request; it cannot be used again';
  throw new AppError('conflict', `${field(index)}: ${message}`, {
    errors: [{ field: field(index), message }],
  });
}
