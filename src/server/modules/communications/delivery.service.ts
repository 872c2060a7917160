import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { SendMailOptions } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { mailConfigured, sendMailOptions, writeOutbox } from '../../platform/mail.js';
import { insertEvent } from '../customers/customers.queries.js';
import { clickUrl, pixelUrl, publicBase, unsubscribeUrl } from './tracking-urls.js';
import { trackableLinks, withTracking } from './tracking-rewrite.js';

export const EMAIL_DELIVER_JOB = 'email.deliver';

/** An unguessable token for a URL: 192 random bits. */
export const newToken = () => randomBytes(24).toString('base64url');

/** The domain of MAIL_FROM: our Message-IDs and reply addresses live under it. */
export function mailDomain(config: Config): string {
  const [first] = addressparser(config.mail.from);
  const address = first && 'address' in first ? first.address : undefined;
  return address?.split('@')[1]?.toLowerCase() || 'localhost';
}

/** The bare address of MAIL_FROM (the From shown on our rows). */
export function fromAddress(config: Config): string {
  const [first] = addressparser(config.mail.from);
  return (first && 'address' in first ? first.address : undefined) || config.mail.from;
}

/** Queues an email's delivery in the caller's transaction (once per email). */
export function enqueueDelivery(db: Kysely<DB>, emailId: string) {
  return enqueueJob(db, {
    kind: EMAIL_DELIVER_JOB,
    payload: { email_id: emailId },
    dedupeKey: `${EMAIL_DELIVER_JOB}:${emailId}`,
    maxAttempts: 5,
  });
}

/**
 * Gives a rendered email its tracked links (once: a retry reuses them, so a resent message
 * carries the same tokens). Call in the transaction that stored the body.
 */
export async function createTrackedLinks(db: Kysely<DB>, config: Config, emailId: string, html: string) {
  const existing = await db
    .selectFrom('email_links')
    .select('token')
    .where('email_id', '=', emailId)
    .limit(1)
    .execute();
  if (existing.length > 0) return;
  const urls = await trackableLinks(html, publicBase(config));
  if (urls.length === 0) return;
  await db
    .insertInto('email_links')
    .values(urls.map((url, position) => ({ token: newToken(), email_id: emailId, position, url })))
    .execute();
}

type Outgoing = Awaited<ReturnType<typeof loadOutgoing>>;

function loadOutgoing(db: Kysely<DB>, emailId: string) {
  return db
    .selectFrom('emails')
    .select([
      'id',
      'customer_id',
      'status',
      'email_address',
      'subject',
      'body_text',
      'body_html',
      'message_id',
      'in_reply_to',
      'reference_ids',
      'tracking',
      'tracking_token',
    ])
    .where('id', '=', emailId)
    .executeTakeFirst();
}

const angle = (id: string) => `<${id}>`;

/** The message exactly as it leaves: tracked HTML, threading headers, RFC 8058 unsubscribe. */
async function messageFor(
  db: Kysely<DB>,
  config: Config,
  email: NonNullable<Outgoing>,
): Promise<SendMailOptions> {
  let html = email.body_html ?? undefined;
  if (html && email.tracking) {
    const links = await db
      .selectFrom('email_links')
      .select(['position', 'token'])
      .where('email_id', '=', email.id)
      .orderBy('position')
      .execute();
    const tracked: string[] = [];
    for (const l of links) tracked[l.position] = clickUrl(config, l.token);
    html = await withTracking(html, publicBase(config), tracked, pixelUrl(config, email.tracking_token));
  }
  const unsubscribe = unsubscribeUrl(config, email.tracking_token);
  return {
    to: email.email_address,
    subject: email.subject,
    text: email.body_text ?? '',
    ...(html ? { html } : {}),
    messageId: angle(email.message_id),
    ...(email.in_reply_to ? { inReplyTo: angle(email.in_reply_to) } : {}),
    ...(email.reference_ids.length > 0 ? { references: email.reference_ids.map(angle) } : {}),
    // replies come back through the inbound webhook when it is set up; the token finds the thread
    ...(config.mail.webhookSecret ? { replyTo: `reply+${email.tracking_token}@${mailDomain(config)}` } : {}),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-CRM-Email-Id': email.id,
    },
  };
}

/**
 * Sends one queued email through SMTP, or writes it to the outbox folder when none is
 * configured (status `outbox`: never reported as delivered). An email no longer queued is left
 * alone, so a repeated job cannot send twice what was recorded as sent. A failure is recorded on
 * the email and retried by the queue; on the last attempt the email becomes `failed`.
 */
export async function deliverEmail(deps: AppDeps, emailId: string, lastAttempt: boolean): Promise<string> {
  const email = await loadOutgoing(deps.db, emailId);
  if (email?.status !== 'queued') return email?.status ?? 'missing';
  const message = await messageFor(deps.db, deps.config, email);
  const smtp = mailConfigured(deps.config);
  try {
    if (smtp) await sendMailOptions(deps.config, message);
    else await writeOutbox(deps.config, `${new Date().toISOString().slice(0, 10)}-${email.id}`, message);
  } catch (err) {
    const error = err instanceof Error ? err.message.slice(0, 500) : 'sending failed';
    await markFailed(deps.db, email, error, lastAttempt);
    if (lastAttempt) return 'failed';
    throw err;
  }
  const status = smtp ? 'sent' : 'outbox';
  await deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('emails')
      .set({ status, transport: smtp ? 'smtp' : 'outbox', sent_at: sql`now()`, error: null })
      .where('id', '=', email.id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    await insertEvent(trx, {
      customer_id: email.customer_id,
      kind: 'email_sent',
      actor_id: null,
      summary: smtp ? `Sent “${email.subject}”` : `Written to the outbox (not delivered): “${email.subject}”`,
      data: { email_id: email.id, status, to: email.email_address },
    });
  });
  return status;
}

async function markFailed(db: Kysely<DB>, email: NonNullable<Outgoing>, error: string, final: boolean) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('emails')
      .set(final ? { status: 'failed', error } : { error })
      .where('id', '=', email.id)
      .where('status', '=', 'queued')
      .execute();
    if (final) {
      await insertEvent(trx, {
        customer_id: email.customer_id,
        kind: 'email_failed',
        actor_id: null,
        summary: `Could not send “${email.subject}”`,
        data: { email_id: email.id, error },
      });
    }
  });
}

/** The queue's handler for one email. */
export const emailDeliverJob: JobHandler = async ({ deps, job, attempt, maxAttempts }) => {
  const status = await deliverEmail(deps, String(job.payload.email_id), attempt >= maxAttempts);
  return { status };
};
