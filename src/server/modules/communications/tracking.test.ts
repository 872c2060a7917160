import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CommunicationAnalytics,
  Email,
  SendResult,
  ThreadList,
  TrackResult,
} from '../../../shared/communications.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type SmtpPeer, startSmtpPeer } from '../../../../tests/helpers/smtp-peer.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { testConfig } from '../../config.js';
import { signWebhook } from '../../platform/signed-webhook.js';

/** Opens, clicks and provider events: stored once, status forward only, machines apart. */
let peer: SmtpPeer;
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;
const SECRET = 'webhook-secret-for-tests';
const HUMAN =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';

beforeAll(async () => {
  peer = await startSmtpPeer();
  t = await createTestApp({
    mail: { ...testConfig().mail, smtpUrl: peer.url, webhookSecret: SECRET, machineSeconds: 0 },
    publicUrl: 'https://crm.test.example',
  });
  admin = await t.staff('admin');
  agent = await t.staff('agent');
});
afterAll(async () => {
  await t?.close();
  await peer?.close();
});

/** Sends a two-link email and returns it with the tracked URLs found in what arrived. */
async function sentEmail(extra: Record<string, unknown> = {}) {
  const customer = await makeCustomer(t, admin, extra);
  const res = await t.request({
    method: 'POST',
    url: '/api/crm/communications/send',
    as: agent,
    payload: {
      customer_id: customer.id,
      subject: 'Links',
      body: 'See https://shop.example/a and https://shop.example/b',
    },
  });
  const email = res.json<SendResult>().email as Email;
  await t.app.workers.runner.runDue();
  const html = String(peer.received.find((m) => m.parsed.messageId === `<${email.message_id}>`)?.parsed.html);
  const clicks = [...html.matchAll(/href="https:\/\/crm\.test\.example(\/t\/c\/[^"]+)"/g)].map((m) => m[1]!);
  const pixel = html.match(/src="https:\/\/crm\.test\.example(\/t\/o\/[^"]+)"/)?.[1] as string;
  return { customer, email, clicks, pixel };
}

const get = (url: string, userAgent = HUMAN) =>
  t.app.inject({ method: 'GET', url, headers: { 'user-agent': userAgent }, remoteAddress: '203.0.113.77' });

async function emailRow(id: string) {
  const threads = await t.request({
    method: 'GET',
    url: `/api/crm/communications/${(await t.database.db.selectFrom('emails').select('customer_id').where('id', '=', id).executeTakeFirstOrThrow()).customer_id}`,
    as: admin,
  });
  return threads
    .json<ThreadList>()
    .data.flatMap((th) => th.messages)
    .find((m) => m.id === id)!;
}

// a scanner's "too soon" window is 0 s in these tests; one test sets it per email below
describe('open pixel and click links', () => {
  it('serves the pixel, counts every open once, and moves the status to opened', async () => {
    const { email, pixel } = await sentEmail();
    const first = await get(pixel);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/gif');
    expect(first.headers['cache-control']).toContain('no-store');
    expect(first.rawPayload.subarray(0, 6).toString()).toBe('GIF89a');
    await get(pixel);
    const row = await emailRow(email.id);
    expect(row).toMatchObject({ status: 'opened', open_count: 2, machine_open_count: 0 });
    expect(row.opened_at).not.toBeNull();
    const stored = await t.database.db
      .selectFrom('email_events')
      .select(['ip', 'user_agent'])
      .where('email_id', '=', email.id)
      .execute();
    expect(stored).toHaveLength(2);
    // the address is stored truncated to its network
    expect(stored[0]!.ip).toBe('203.0.113.0');
  });

  it('redirects a click only to the recorded URL, and a tampered or unknown token gets 404', async () => {
    const { email, clicks } = await sentEmail();
    expect(clicks).toHaveLength(2);
    const res = await get(clicks[1]!);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://shop.example/b');
    const row = await emailRow(email.id);
    expect(row).toMatchObject({ status: 'clicked', click_count: 1 });
    // a click implies the mail was opened, even with images blocked
    expect(row.opened_at).not.toBeNull();
    expect(row.events.find((e) => e.kind === 'clicked')?.link_url).toBe('https://shop.example/b');

    const tampered = `${clicks[1]!.slice(0, -2)}${clicks[1]!.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const url of [tampered, '/t/c/not-a-token', '/t/c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const bad = await get(url);
      expect(bad.statusCode).toBe(404);
      expect(bad.headers.location).toBeUndefined();
    }
    // an unknown pixel still answers with the image and records nothing
    const before = await t.database.db
      .selectFrom('email_events')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect((await get('/t/o/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.gif')).statusCode).toBe(200);
    const after = await t.database.db
      .selectFrom('email_events')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('flags machine opens and clicks and keeps them out of the human figures', async () => {
    const { email, pixel, clicks } = await sentEmail();
    // Apple Mail Privacy Protection's prefetch, and a security gateway following every link at once
    await get(pixel, 'Mozilla/5.0');
    await get(clicks[0]!, 'Mozilla/5.0 (compatible; Barracuda Sentinel)');
    await get(clicks[0]!, HUMAN);
    await get(clicks[1]!, HUMAN);
    const row = await emailRow(email.id);
    expect(row.machine_open_count).toBe(1);
    expect(row.open_count).toBe(0);
    // the two human-looking clicks on different links within 2 s are a scanner too
    expect(row.click_count).toBe(0);
    expect(row.machine_click_count).toBe(3);
    expect(row.status).toBe('sent');
    const reasons = row.events.filter((e) => e.machine).map((e) => e.machine_reason);
    expect(reasons).toEqual(expect.arrayContaining(['privacy_proxy', 'known_agent', 'all_links']));
  });

  it('calls opens within seconds of sending a machine’s', async () => {
    const quick = await createTestApp({
      mail: { ...testConfig().mail, smtpUrl: peer.url, machineSeconds: 60 },
      publicUrl: 'https://crm.test.example',
    });
    try {
      const staff = await quick.staff('admin');
      const customer = await makeCustomer(quick, staff);
      const res = await quick.request({
        method: 'POST',
        url: '/api/crm/communications/send',
        as: staff,
        payload: { customer_id: customer.id, subject: 'Quick', body: 'x' },
      });
      const email = res.json<SendResult>().email!;
      await quick.app.workers.runner.runDue();
      const token = (
        await quick.database.db
          .selectFrom('emails')
          .select('tracking_token')
          .where('id', '=', email.id)
          .executeTakeFirstOrThrow()
      ).tracking_token;
      await quick.app.inject({ method: 'GET', url: `/t/o/${token}.gif`, headers: { 'user-agent': HUMAN } });
      const ev = await quick.database.db
        .selectFrom('email_events')
        .select(['machine', 'machine_reason'])
        .where('email_id', '=', email.id)
        .executeTakeFirstOrThrow();
      expect(ev).toEqual({ machine: true, machine_reason: 'too_soon' });
    } finally {
      await quick.close();
    }
  });

  it('stores each of many simultaneous hits exactly once', async () => {
    const { email, pixel } = await sentEmail();
    await Promise.all(Array.from({ length: 60 }, () => get(pixel)));
    const row = await emailRow(email.id);
    expect(row.open_count).toBe(60);
    const stored = await t.database.db
      .selectFrom('email_events')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('email_id', '=', email.id)
      .executeTakeFirstOrThrow();
    expect(stored.n).toBe(60);
  });
});

describe('POST /api/crm/communications/track', () => {
  const track = (as: StaffHandle, payload: unknown) =>
    t.request({
      method: 'POST',
      url: '/api/crm/communications/track',
      as,
      payload: payload as Record<string, unknown>,
    });

  it('records provider events by email id or Message-ID, idempotently, status forward only', async () => {
    const { email } = await sentEmail();
    const now = Date.now();
    const at = (s: number) => new Date(now + s * 1000).toISOString();
    const res = await track(admin, {
      events: [
        { message_id: `<${email.message_id}>`, event: 'delivered', event_id: 'p-1', occurred_at: at(1) },
        { email_id: email.id, event: 'opened', event_id: 'p-2', occurred_at: at(5), user_agent: HUMAN },
        { email_id: email.id, event: 'opened', event_id: 'p-2', occurred_at: at(5), user_agent: HUMAN },
        { email_id: '00000000-0000-4000-8000-000000000000', event: 'opened' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TrackResult>()).toEqual({ recorded: 2, duplicates: 1, unknown: 1 });

    // the same delivery again changes nothing
    const again = await track(admin, {
      message_id: email.message_id,
      event: 'delivered',
      event_id: 'p-1',
      occurred_at: at(1),
    });
    expect(again.json<TrackResult>()).toEqual({ recorded: 0, duplicates: 1, unknown: 0 });
    // a late "delivered" does not move an opened email back
    await track(admin, { email_id: email.id, event: 'delivered', occurred_at: at(9) });
    let row = await emailRow(email.id);
    expect(row).toMatchObject({ status: 'opened', open_count: 1 });
    expect(row.delivered_at).toBe(at(1));

    // without an event id the natural key (email, event, time) makes retries harmless
    await track(admin, { email_id: email.id, event: 'replied', occurred_at: at(20) });
    await track(admin, { email_id: email.id, event: 'replied', occurred_at: at(20) });
    row = await emailRow(email.id);
    expect(row.status).toBe('replied');
    expect(row.events.filter((e) => e.kind === 'replied')).toHaveLength(1);
  });

  it('records bounces and complaints; a complaint turns marketing email off', async () => {
    const { customer, email } = await sentEmail();
    await track(admin, { email_id: email.id, event: 'bounced', bounce_type: 'hard' });
    expect((await emailRow(email.id)).status).toBe('bounced');
    const other = await sentEmail();
    await track(admin, { email_id: other.email.id, event: 'complained' });
    const prefs = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${other.customer.id}/communication-preferences`,
      as: admin,
    });
    expect(prefs.json()).toMatchObject({ preferences: { email: { marketing: false } } });
    expect(customer.id).not.toBe(other.customer.id);
  });

  it('refuses bad input naming the field, and staff without email:track', async () => {
    const bad = await track(admin, { event: 'opened' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('email_id');
    const kind = await track(admin, { email_id: '00000000-0000-4000-8000-000000000000', event: 'exploded' });
    expect(kind.statusCode).toBe(400);
    expect(
      (await track(agent, { email_id: '00000000-0000-4000-8000-000000000000', event: 'opened' })).statusCode,
    ).toBe(403);
  });

  it('takes the same events from a provider webhook signed with EMAIL_WEBHOOK_SECRET', async () => {
    const { email } = await sentEmail();
    const body = JSON.stringify({ email_id: email.id, event: 'delivered', event_id: 'wh-1' });
    const ts = String(Math.floor(Date.now() / 1000));
    const post = (signature: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/crm/communications/webhooks/events',
        headers: { 'content-type': 'application/json', 'x-crm-timestamp': ts, 'x-crm-signature': signature },
        payload: body,
      });
    expect((await post('v1=00')).statusCode).toBe(401);
    const ok = await post(signWebhook(SECRET, ts, body));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ recorded: 1 });
    expect((await emailRow(email.id)).status).toBe('delivered');
  });
});

describe('GET /api/crm/communications/analytics', () => {
  it('reports rates over time and per template, with machine events apart', async () => {
    const a = await sentEmail();
    const b = await sentEmail();
    await get(a.pixel);
    await get(a.clicks[0]!);
    await get(b.pixel, 'Mozilla/5.0');
    const res = await t.request({
      method: 'GET',
      url: '/api/crm/communications/analytics?interval=day',
      as: agent,
    });
    expect(res.statusCode, res.body).toBe(200);
    const analytics = res.json<CommunicationAnalytics>();
    const sent = await t.database.db
      .selectFrom('emails')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('direction', '=', 'outbound')
      .where('status', 'not in', ['queued', 'failed'])
      .executeTakeFirstOrThrow();
    expect(analytics.totals.sent).toBe(sent.n);
    expect(analytics.totals.opened).toBeGreaterThanOrEqual(1);
    expect(analytics.totals.machine_opened).toBeGreaterThanOrEqual(1);
    expect(analytics.totals.open_rate).toBeCloseTo(
      analytics.totals.opened / (analytics.totals.sent - analytics.totals.bounced),
      3,
    );
    expect(analytics.series.length).toBeGreaterThanOrEqual(30);
    expect(analytics.series.reduce((n, p) => n + p.sent, 0)).toBe(analytics.totals.sent);

    const bad = await t.request({
      method: 'GET',
      url: '/api/crm/communications/analytics?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z',
      as: agent,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('from');
  });
});
