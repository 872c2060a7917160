import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadList } from '../../../shared/communications.js';
import type { Customer } from '../../../shared/customers.js';
import type { Problem } from '../../../shared/problem.js';
import { testConfig } from '../../config.js';
import type { EmailsTable } from '../../db/schema.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { signWebhook } from '../../platform/signed-webhook.js';
import type { InboundEmailResult } from './inbound.service.js';

/** Inbound email: signed raw MIME, threaded by In-Reply-To, References or the reply address. */
const secret = 'email-webhook-secret-0123456789';
let t: TestApp;
let admin: StaffHandle;
let customer: Customer;

beforeAll(async () => {
  const base = testConfig();
  t = await createTestApp({ mail: { ...base.mail, webhookSecret: secret } });
  admin = await t.staff('admin');
  customer = await makeCustomer(t, admin, {
    first_name: 'Ada',
    email: `Ada.Reply-${Date.now()}@Example.com`,
  });
});
afterAll(() => t?.close());

const db = () => t.database.db;

/** An outbound email row as the sending code stores it. */
async function sentEmail(values: Partial<Insertable<EmailsTable>> = {}) {
  const id = randomUUID();
  const row = {
    id,
    customer_id: customer.id,
    thread_id: id,
    direction: 'outbound' as const,
    email_address: customer.email!,
    from_address: 'crm@localhost',
    subject: 'Your order',
    message_id: `${id}@crm.test`,
    status: 'sent' as const,
    tracking_token: randomBytes(24).toString('base64url'),
    sent_at: new Date(Date.now() - 3600_000),
    created_at: new Date(Date.now() - 3600_000),
    ...values,
  };
  await db().insertInto('emails').values(row).execute();
  return row;
}

/** A real MIME message, as a mail client would write it. */
const mime = (opts: Mail.Options) => new MailComposer(opts).compile().build();

const now = () => Math.floor(Date.now() / 1000);

async function deliver(
  raw: Buffer | string,
  opts: { timestamp?: number; signature?: string | null; contentType?: string; app?: TestApp } = {},
) {
  const timestamp = String(opts.timestamp ?? now());
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'message/rfc822',
    'x-crm-timestamp': timestamp,
  };
  if (opts.signature !== null)
    headers['x-crm-signature'] = opts.signature ?? signWebhook(secret, timestamp, raw);
  const res = await (opts.app ?? t).request({
    method: 'POST',
    url: '/api/crm/communications/inbound',
    payload: raw,
    headers,
  });
  return {
    status: res.statusCode,
    body: res.json<InboundEmailResult & Omit<Partial<Problem>, 'status'>>(),
    raw: res.body,
  };
}

const emailById = (id: string) =>
  db().selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const countEmails = async () =>
  Number((await db().selectFrom('emails').select(db().fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('POST /api/crm/communications/inbound: signature', () => {
  it('refuses a missing, wrong or stale signature with 401, before reading the message', async () => {
    const raw = await mime({ from: customer.email!, to: 'crm@localhost', subject: 'Hi', text: 'Hello' });
    const before = await countEmails();
    const missing = await deliver(raw, { signature: null });
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('unauthenticated');
    const ts = String(now());
    const wrong = await deliver(raw, {
      timestamp: Number(ts),
      signature: signWebhook('another-secret-0123456789', ts, raw),
    });
    expect(wrong.status).toBe(401);
    const stale = now() - 3600;
    expect(
      (await deliver(raw, { timestamp: stale, signature: signWebhook(secret, String(stale), raw) })).status,
    ).toBe(401);
    // signed for other bytes
    const tampered = await deliver(Buffer.concat([raw, Buffer.from('x')]), {
      signature: signWebhook(secret, ts, raw),
      timestamp: Number(ts),
    });
    expect(tampered.status).toBe(401);
    expect(await countEmails()).toBe(before);
  });

  it('answers 503 not_configured without EMAIL_WEBHOOK_SECRET', async () => {
    const bare = await createTestApp();
    try {
      const raw = await mime({ from: 'a@b.test', subject: 'Hi', text: 'Hello' });
      const res = await deliver(raw, { app: bare });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('not_configured');
    } finally {
      await bare.close();
    }
  });

  it('takes message/rfc822 and text/plain only', async () => {
    const raw = await mime({ from: customer.email!, subject: 'Hi', text: 'Hello' });
    const json = await deliver(raw, { contentType: 'application/json' });
    expect(json.status).toBe(415);
  });
});

describe('POST /api/crm/communications/inbound: threading', () => {
  it('files a reply by In-Reply-To in the original’s thread and marks the original replied', async () => {
    const original = await sentEmail({ subject: 'Your order 1001' });
    const raw = await mime({
      from: `Ada <${customer.email!.toLowerCase()}>`,
      to: 'crm@localhost',
      subject: 'Re: Your order 1001',
      text: 'Thanks, it arrived.',
      html: '<p>Thanks, it <b>arrived</b>.</p>',
      messageId: '<reply-1001@mail.example>',
      inReplyTo: `<${original.message_id}>`,
      references: [`<${original.message_id}>`],
    });
    const res = await deliver(raw);
    expect(res.status, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      customer_id: customer.id,
      thread_id: original.thread_id,
      in_reply_to_email_id: original.id,
      duplicate: false,
    });

    const stored = await emailById(res.body.email_id);
    expect(stored).toMatchObject({
      direction: 'inbound',
      status: 'received',
      thread_id: original.thread_id,
      email_address: customer.email!.toLowerCase(),
      from_address: customer.email!.toLowerCase(),
      subject: 'Re: Your order 1001',
      message_id: 'reply-1001@mail.example',
      in_reply_to: original.message_id,
      reference_ids: [original.message_id],
      tracking: false,
      transport: null,
    });
    expect(stored.body_text?.trim()).toBe('Thanks, it arrived.');
    expect(stored.body_html).toContain('<b>arrived</b>');
    expect(stored.tracking_token).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const answered = await emailById(original.id);
    expect(answered.status).toBe('replied');
    expect(answered.replied_at).not.toBeNull();
    const events = await db()
      .selectFrom('email_events')
      .select(['kind', 'source', 'dedupe_key'])
      .where('email_id', '=', original.id)
      .execute();
    expect(events).toEqual([
      { kind: 'replied', source: 'inbound', dedupe_key: 'inbound:reply-1001@mail.example' },
    ]);

    const timeline = await db()
      .selectFrom('customer_events')
      .select(['summary', 'data'])
      .where('customer_id', '=', customer.id)
      .where('kind', '=', 'email_received')
      .execute();
    expect(timeline).toContainEqual({
      summary: 'Reply received: Re: Your order 1001',
      data: { email_id: res.body.email_id, thread_id: original.thread_id, in_reply_to_email_id: original.id },
    });

    const feed = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${customer.id}/timeline?kind=email_received,email_replied`,
      as: admin,
    });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(
      feed
        .json<{ data: { kind: string }[] }>()
        .data.map((e) => e.kind)
        .sort(),
    ).toEqual(['email_received', 'email_replied']);

    // the customer's threads show the conversation
    const threads = (
      await t.request({ method: 'GET', url: `/api/crm/communications/${customer.id}`, as: admin })
    ).json<ThreadList>();
    const thread = threads.data.find((th) => th.thread_id === original.thread_id)!;
    expect(thread.messages.map((m) => [m.direction, m.status])).toEqual([
      ['outbound', 'replied'],
      ['inbound', 'received'],
    ]);

    // the same message again (a provider's retry): 200, duplicate, nothing new
    const emailsBefore = await countEmails();
    const again = await deliver(raw);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...res.body, duplicate: true });
    expect(await countEmails()).toBe(emailsBefore);
    const eventsAfter = await db()
      .selectFrom('email_events')
      .select('id')
      .where('email_id', '=', original.id)
      .execute();
    expect(eventsAfter).toHaveLength(1);
  });

  it('falls back to References, newest first', async () => {
    const older = await sentEmail({ subject: 'First' });
    const newer = await sentEmail({ subject: 'Second' });
    const raw = await mime({
      from: customer.email!,
      subject: 'Re: Second',
      text: 'About the second one',
      inReplyTo: '<not-ours@elsewhere.example>',
      references: [`<${older.message_id}>`, `<${newer.message_id}>`, '<not-ours@elsewhere.example>'],
    });
    const res = await deliver(raw);
    expect(res.status, res.raw).toBe(201);
    expect(res.body.thread_id).toBe(newer.thread_id);
    expect(res.body.in_reply_to_email_id).toBe(newer.id);
    expect((await emailById(newer.id)).status).toBe('replied');
    expect((await emailById(older.id)).status).toBe('sent');
  });

  it('falls back to the reply address reply+<token>@ (To, Cc or Delivered-To), whoever sends', async () => {
    const original = await sentEmail({ subject: 'Invoice' });
    const raw = await mime({
      from: 'Colleague <someone@another-company.example>',
      to: 'Support <support@crm.example>',
      cc: `reply+${original.tracking_token}@crm.example`,
      subject: 'Re: Invoice',
      text: 'Forwarding for Ada',
    });
    const res = await deliver(raw);
    expect(res.status, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      customer_id: customer.id,
      thread_id: original.thread_id,
      in_reply_to_email_id: original.id,
    });
    expect((await emailById(res.body.email_id)).from_address).toBe('someone@another-company.example');

    const viaDelivered = await sentEmail({ subject: 'Delivery' });
    const raw2 = await mime({
      from: customer.email!,
      to: 'crm@crm.example',
      subject: 'Re: Delivery',
      text: 'ok',
      headers: { 'Delivered-To': `reply+${viaDelivered.tracking_token}@crm.example` },
    });
    const res2 = await deliver(raw2, { contentType: 'text/plain' });
    expect(res2.status, res2.raw).toBe(201);
    expect(res2.body.thread_id).toBe(viaDelivered.thread_id);
  });

  it('starts a new thread for new mail from a known customer (address in any case)', async () => {
    const raw = await mime({
      from: customer.email!.toUpperCase(),
      to: 'crm@localhost',
      subject: 'A question',
      text: 'Do you ship abroad?',
    });
    const res = await deliver(raw);
    expect(res.status, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      customer_id: customer.id,
      in_reply_to_email_id: null,
      duplicate: false,
    });
    expect(res.body.thread_id).toBe(res.body.email_id);
    const event = await db()
      .selectFrom('customer_events')
      .select('summary')
      .where('customer_id', '=', customer.id)
      .where('kind', '=', 'email_received')
      .where('summary', 'like', 'Email received:%')
      .execute();
    expect(event.map((e) => e.summary)).toEqual(['Email received: A question']);
  });

  it('joins the thread of an earlier inbound message without marking anything replied', async () => {
    const first = await deliver(
      await mime({
        from: customer.email!,
        subject: 'Hello',
        text: '1',
        messageId: '<first-in@mail.example>',
      }),
    );
    expect(first.status).toBe(201);
    const second = await deliver(
      await mime({
        from: customer.email!,
        subject: 'Re: Hello',
        text: '2',
        inReplyTo: '<first-in@mail.example>',
      }),
    );
    expect(second.status).toBe(201);
    expect(second.body.thread_id).toBe(first.body.thread_id);
    expect(second.body.in_reply_to_email_id).toBeNull();
  });

  it('makes up a Message-ID when the message has none', async () => {
    const raw = `From: ${customer.email}\r\nTo: crm@localhost\r\nSubject: No id\r\n\r\nBare message\r\n`;
    const res = await deliver(raw, { contentType: 'text/plain' });
    expect(res.status, res.raw).toBe(201);
    const stored = await emailById(res.body.email_id);
    expect(stored.message_id).toMatch(/^[0-9a-f-]{36}@inbound\.crm$/);
    expect(stored.body_text?.trim()).toBe('Bare message');
    expect(stored.body_html).toBeNull();
  });

  it('answers 422 naming from for an unknown sender, storing nothing', async () => {
    const before = await countEmails();
    const res = await deliver(
      await mime({ from: 'stranger@nowhere.example', to: 'crm@localhost', subject: 'Spam?', text: 'Hi' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('unknown_sender');
    expect(res.body.errors?.map((e) => e.field)).toEqual(['from']);
    expect(await countEmails()).toBe(before);
  });

  it('refuses our own Message-ID coming back (409), not filing it as the customer’s', async () => {
    const original = await sentEmail();
    const res = await deliver(
      await mime({
        from: customer.email!,
        subject: 'Loop',
        text: 'x',
        messageId: `<${original.message_id}>`,
      }),
    );
    expect(res.status).toBe(409);
    expect((await emailById(original.id)).status).toBe('sent');
  });
});
