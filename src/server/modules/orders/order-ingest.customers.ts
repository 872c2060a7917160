import { type Kysely, sql } from 'kysely';
import type { OrderIngest } from '../../../shared/orders.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { insertCustomer } from '../customers/customers.service.js';
import { findErasedEmails } from '../privacy/erased-emails.js';

export type CustomerMatch =
  | { customerId: string; created: boolean }
  | { error: { field: string; message: string } };

/**
 * Finds the customer of every order in a batch with three lookups (ids, user ids, emails), then
 * creates a customer for each email nobody has (once per email, however many orders carry it).
 * Precedence: customer_id, then user_id, then customer_email.
 */
export async function matchCustomers(
  trx: Kysely<DB>,
  orders: OrderIngest[],
  actorId: string | null,
): Promise<CustomerMatch[]> {
  const ids = unique(orders.map((o) => o.customer_id));
  const userIds = unique(orders.map((o) => o.user_id));
  const emails = unique(orders.map((o) => o.customer_email?.toLowerCase()));

  const knownIds = new Set(
    ids.length
      ? (
          await sql<{ id: string }>`select id from customers where id = any(${ids}::uuid[])`.execute(trx)
        ).rows.map((r) => r.id)
      : [],
  );
  const byUser = new Map(
    userIds.length
      ? (
          await sql<{ id: string; user_id: string }>`
            select id, user_id from customers where user_id = any(${userIds}::uuid[])`.execute(trx)
        ).rows.map((r) => [r.user_id, r.id])
      : [],
  );
  const byEmail = new Map(
    emails.length
      ? (
          await sql<{ customer_id: string; email: string }>`
            select customer_id, lower(email) as email from customer_emails
            where lower(email) = any(${emails}::text[])`.execute(trx)
        ).rows.map((r) => [r.email, r.customer_id])
      : [],
  );
  const erased = await findErasedEmails(
    trx,
    emails.filter((e) => !byEmail.has(e)),
  );

  // a backfill brings a customer's history: they were acquired at their earliest order, not today
  const earliest = new Map<string, string>();
  for (const o of orders) {
    const email = o.customer_email?.toLowerCase();
    if (email === undefined) continue;
    const seen = earliest.get(email);
    if (seen === undefined || Date.parse(o.placed_at) < Date.parse(seen)) earliest.set(email, o.placed_at);
  }
  const created = new Map<string, string>();
  const matches: CustomerMatch[] = [];
  for (const o of orders) {
    if (o.customer_id !== undefined) {
      matches.push(
        knownIds.has(o.customer_id)
          ? { customerId: o.customer_id, created: false }
          : { error: { field: 'customer_id', message: 'No customer has this id' } },
      );
      continue;
    }
    const linked = o.user_id === undefined ? undefined : byUser.get(o.user_id);
    if (linked) {
      matches.push({ customerId: linked, created: false });
      continue;
    }
    const email = o.customer_email?.toLowerCase();
    if (email === undefined) {
      matches.push({
        error: {
          field: 'user_id',
          message: 'No customer has this platform user id; give customer_email too',
        },
      });
      continue;
    }
    const known = byEmail.get(email) ?? created.get(email);
    if (known) {
      matches.push({ customerId: known, created: false });
      continue;
    }
    if (erased.has(email)) {
      matches.push({
        error: {
          field: 'customer_email',
          message: 'This email belonged to a customer whose personal data was erased on request',
        },
      });
      continue;
    }
    const id = await createFromOrder(trx, o, earliest.get(email)!, actorId);
    created.set(email, id);
    matches.push({ customerId: id, created: true });
  }
  return matches;
}

/**
 * A guest checkout starts a profile. Another request may create the same email at the same time:
 * the loser rolls back to the savepoint and joins the winner's customer.
 */
async function createFromOrder(
  trx: Kysely<DB>,
  o: OrderIngest,
  acquiredAt: string,
  actorId: string | null,
): Promise<string> {
  const email = o.customer_email!;
  await sql`savepoint ingest_customer`.execute(trx);
  try {
    const id = await insertCustomer(
      trx,
      {
        email,
        acquisition_source: 'order',
        acquisition_date: acquiredAt,
        ...(o.first_name ? { first_name: o.first_name } : {}),
        ...(o.last_name ? { last_name: o.last_name } : {}),
      },
      actorId,
      { kind: 'customer_created', summary: 'Created from their first order (order ingest)' },
    );
    await sql`release savepoint ingest_customer`.execute(trx);
    return id;
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'duplicate')) throw err;
    await sql`rollback to savepoint ingest_customer`.execute(trx);
    const winner = await trx
      .selectFrom('customer_emails')
      .select('customer_id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (!winner) throw err;
    return winner.customer_id;
  }
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}
