import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { z } from 'zod';
import type { inboundEmailResultSchema } from '../../../shared/communications.js';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { insertEvent } from '../customers/customers.queries.js';
import { recordEmailEvents } from './email-events.service.js';

export type InboundEmailResult = z.infer<typeof inboundEmailResultSchema>;

/** What became of a delivered message: stored (or already stored), or nobody to file it under. */
export type InboundOutcome =
  | { kind: 'stored'; result: InboundEmailResult }
  | { kind: 'unknown_sender'; from: string | null };

/** `<a@b>` → `a@b`: Message-IDs are stored without angle brackets, as outbound mail stores them. */
export function messageIdsOf(value: string | string[] | undefined): string[] {
  const values = Array.isArray(value) ? value : value ? [value] : [];
  const ids: string[] = [];
  for (const v of values) {
    const bracketed = [...v.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
    ids.push(...(bracketed.length ? bracketed : v.split(/\s+/).filter(Boolean)));
  }
  return ids.map((id) => id.slice(0, 998));
}

const addressesOf = (header: AddressObject | AddressObject[] | undefined | unknown): string[] => {
  const list = (Array.isArray(header) ? header : header ? [header] : []) as AddressObject[];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const e of entries) {
      if (e.address) out.push(e.address);
      if (e.group) walk(e.group);
    }
  };
  for (const h of list) if (h && Array.isArray(h.value)) walk(h.value);
  return out;
};

/** Outbound mail replies to `reply+<tracking token>@<domain>`: the token names the email. */
export function replyTokensOf(parsed: ParsedMail): string[] {
  const addresses = [
    ...addressesOf(parsed.to),
    ...addressesOf(parsed.cc),
    ...addressesOf(parsed.headers.get('delivered-to')),
  ];
  const tokens = addresses
    .map((a) => /^reply\+([A-Za-z0-9_-]{16,128})@/i.exec(a)?.[1])
    .filter((t): t is string => t !== undefined);
  return [...new Set(tokens)];
}

/**
 * The email this message answers: In-Reply-To first, then References newest first (the last
 * one is the direct parent), then the reply address. One query each at most.
 */
async function findOriginal(trx: Kysely<DB>, parsed: ParsedMail) {
  const byId = [...messageIdsOf(parsed.inReplyTo), ...messageIdsOf(parsed.references).reverse()];
  if (byId.length) {
    const rows = await trx
      .selectFrom('emails')
      .select(['id', 'customer_id', 'thread_id', 'direction', 'message_id'])
      .where('message_id', 'in', byId)
      .execute();
    for (const id of byId) {
      const hit = rows.find((r) => r.message_id === id);
      if (hit) return hit;
    }
  }
  const tokens = replyTokensOf(parsed);
  if (tokens.length) {
    return trx
      .selectFrom('emails')
      .select(['id', 'customer_id', 'thread_id', 'direction', 'message_id'])
      .where('tracking_token', 'in', tokens)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }
  return undefined;
}

function findCustomerByAddress(trx: Kysely<DB>, address: string) {
  return trx
    .selectFrom('customer_emails')
    .select('customer_id')
    .where(sql<string>`lower(email)`, '=', address.toLowerCase())
    .executeTakeFirst();
}

/** A message stored before: the same answer again, marked duplicate. */
async function duplicateOf(db: Kysely<DB>, messageId: string): Promise<InboundOutcome | null> {
  const existing = await db
    .selectFrom('emails')
    .select(['id', 'customer_id', 'thread_id', 'direction'])
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  if (!existing) return null;
  if (existing.direction !== 'inbound') {
    // our own mail coming back (a loop or a forged header): never filed as the customer's
    throw new AppError('conflict', `Message-ID ${messageId} is an email sent from here`);
  }
  // the email it answered is the one its `replied` event was recorded on
  const replied = await db
    .selectFrom('email_events')
    .select('email_id')
    .where('dedupe_key', '=', `inbound:${messageId}`)
    .executeTakeFirst();
  return {
    kind: 'stored',
    result: {
      email_id: existing.id,
      customer_id: existing.customer_id,
      thread_id: existing.thread_id,
      in_reply_to_email_id: replied?.email_id ?? null,
      duplicate: true,
    },
  };
}

/**
 * Files a raw MIME message (a customer's reply, or new mail from a known customer) in one
 * transaction: the inbound email in its thread, a timeline event, and the answered email marked
 * replied. The same Message-ID again is a duplicate and writes nothing.
 */
export async function receiveInboundEmail(deps: AppDeps, raw: Buffer): Promise<InboundOutcome> {
  // loaded on the first inbound message, not at start (it is large and most servers never need it)
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const from = addressesOf(parsed.from)[0] ?? null;
  const messageId = messageIdsOf(parsed.messageId)[0] ?? `${randomUUID()}@inbound.crm`;
  try {
    return await deps.db.transaction().execute(async (trx): Promise<InboundOutcome> => {
      const duplicate = await duplicateOf(trx, messageId);
      if (duplicate) return duplicate;

      const original = await findOriginal(trx, parsed);
      const customerId =
        original?.customer_id ?? (from ? (await findCustomerByAddress(trx, from))?.customer_id : undefined);
      if (!customerId || !from) return { kind: 'unknown_sender', from };

      const id = randomUUID();
      // a new conversation is its own thread, named by its first message
      const threadId = original?.thread_id ?? id;
      const subject = parsed.subject?.trim() || '(no subject)';
      await trx
        .insertInto('emails')
        .values({
          id,
          customer_id: customerId,
          thread_id: threadId,
          direction: 'inbound',
          email_address: from,
          from_address: from,
          subject,
          body_text: parsed.text ?? null,
          // kept as received; the web app shows it only in a sandboxed frame
          body_html: typeof parsed.html === 'string' ? parsed.html : null,
          message_id: messageId,
          in_reply_to: messageIdsOf(parsed.inReplyTo)[0] ?? null,
          reference_ids: messageIdsOf(parsed.references),
          status: 'received',
          tracking: false,
          tracking_token: randomBytes(24).toString('base64url'),
        })
        .execute();
      // only our own mail can be "replied": an answer to the customer's earlier message just joins its thread
      const answered = original?.direction === 'outbound' ? original.id : null;
      await insertEvent(trx, {
        customer_id: customerId,
        kind: 'email_received',
        actor_id: null,
        summary: `${original ? 'Reply received' : 'Email received'}: ${subject}`,
        data: { email_id: id, thread_id: threadId, in_reply_to_email_id: answered },
      });
      if (answered) {
        await recordEmailEvents(trx, deps.config, [
          { emailId: answered, kind: 'replied', source: 'inbound', dedupeKey: `inbound:${messageId}` },
        ]);
      }
      return {
        kind: 'stored',
        result: {
          email_id: id,
          customer_id: customerId,
          thread_id: threadId,
          in_reply_to_email_id: answered,
          duplicate: false,
        },
      };
    });
  } catch (err) {
    // the same message delivered twice at once: the second insert lost, the first one stands
    if (isUniqueViolation(err, 'emails_message_id_key')) {
      const duplicate = await duplicateOf(deps.db, messageId);
      if (duplicate) return duplicate;
    }
    throw err;
  }
}
