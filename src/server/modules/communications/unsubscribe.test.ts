import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunicationPreferencesResponse } from '../../../shared/communications.js';
import type { EmailsTable } from '../../db/schema.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** The public unsubscribe link: a confirmation page, the page's button and RFC 8058 one-click. */
let t: TestApp;
let admin: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
});
afterAll(() => t?.close());

/** An outbound email row as the sending code stores it; its tracking token is the link's. */
async function insertEmail(customerId: string, values: Partial<Insertable<EmailsTable>> = {}) {
  const id = randomUUID();
  const token = randomBytes(24).toString('base64url');
  await t.database.db
    .insertInto('emails')
    .values({
      id,
      customer_id: customerId,
      thread_id: id,
      direction: 'outbound',
      email_address: 'grace.hopper@example.com',
      from_address: 'crm@localhost',
      subject: 'Spring sale',
      message_id: `${id}@crm.test`,
      status: 'delivered',
      category: 'marketing',
      tracking_token: token,
      sent_at: new Date(),
      ...values,
    })
    .execute();
  return { id, token };
}

const prefs = async (customerId: string) =>
  (
    await t.request({
      method: 'GET',
      url: `/api/crm/customers/${customerId}/communication-preferences`,
      as: admin,
    })
  ).json<CommunicationPreferencesResponse>();

const emailRow = (id: string) =>
  t.database.db
    .selectFrom('emails')
    .select(['status', 'unsubscribed_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const unsubscribeEvents = (id: string) =>
  t.database.db
    .selectFrom('email_events')
    .select(['kind', 'source', 'dedupe_key'])
    .where('email_id', '=', id)
    .where('kind', '=', 'unsubscribed')
    .execute();

const oneClick = (token: string) =>
  t.request({
    method: 'POST',
    url: `/t/u/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });

describe('GET /t/u/:token', () => {
  it('asks to confirm, with the address masked, a form posting back here, and private headers', async () => {
    const c = await makeCustomer(t, admin);
    const { token } = await insertEmail(c.id);
    const res = await t.request({ method: 'GET', url: `/t/u/${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // the app's CSP applies: no script needed, the form posts to this same origin
    expect(String(res.headers['content-security-policy'])).toContain("form-action 'self'");
    expect(res.body).toContain('Unsubscribe g***@example.com from marketing email?');
    expect(res.body).not.toContain('grace.hopper');
    expect(res.body).toMatch(new RegExp(`<form method="post" action="${token}">`));
    expect(res.body).not.toContain('<script');
    // looking changes nothing (link scanners fetch every link)
    expect((await prefs(c.id)).preferences.email.marketing).toBe(true);
  });

  it('escapes what it shows', async () => {
    const c = await makeCustomer(t, admin);
    const { token } = await insertEmail(c.id, { email_address: 'x@"><img src=x onerror=alert(1)>.test' });
    const res = await t.request({ method: 'GET', url: `/t/u/${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<img');
    expect(res.body).toContain('x***@&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.test');
  });

  it('answers an unknown or malformed token with a 404 page', async () => {
    for (const token of [randomBytes(24).toString('base64url'), 'short', '%3Cscript%3E']) {
      const res = await t.request({ method: 'GET', url: `/t/u/${token}` });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('This link is not valid');
      expect(res.body).not.toContain('<script>');
    }
  });
});

describe('POST /t/u/:token', () => {
  it('one-click (RFC 8058) turns marketing email off, records the event, and is idempotent', async () => {
    const c = await makeCustomer(t, admin);
    const email = await insertEmail(c.id);
    const res = await oneClick(email.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers.location).toBeUndefined();

    const after = await prefs(c.id);
    expect(after.preferences.email).toEqual({ marketing: false, transactional: true });
    expect(after.version).toBe(c.version + 1);
    expect(after.history).toHaveLength(1);
    expect(after.history[0]).toMatchObject({
      source: 'one_click',
      changed_by: null,
      email_id: email.id,
      changes: { 'email.marketing': [true, false] },
    });
    const row = await emailRow(email.id);
    expect(row.unsubscribed_at).not.toBeNull();
    // unsubscribing is not a stage of delivery: the status stays
    expect(row.status).toBe('delivered');
    expect(await unsubscribeEvents(email.id)).toEqual([
      { kind: 'unsubscribed', source: 'unsubscribe', dedupe_key: `unsubscribe:${email.id}` },
    ]);
    const timeline = await t.database.db
      .selectFrom('customer_events')
      .select('summary')
      .where('customer_id', '=', c.id)
      .where('kind', '=', 'preferences_changed')
      .execute();
    expect(timeline.map((e) => e.summary)).toEqual(['Email marketing turned off (one-click unsubscribe)']);

    // again: still 200, nothing new
    const again = await oneClick(email.token);
    expect(again.statusCode).toBe(200);
    const still = await prefs(c.id);
    expect(still.version).toBe(after.version);
    expect(still.history).toHaveLength(1);
    expect(await unsubscribeEvents(email.id)).toHaveLength(1);
    expect((await emailRow(email.id)).unsubscribed_at).toEqual(row.unsubscribed_at);

    // the page now says so, without a button
    const page = await t.request({ method: 'GET', url: `/t/u/${email.token}` });
    expect(page.body).toContain('already unsubscribed');
    expect(page.body).not.toContain('<form');
  });

  it('accepts one-click as multipart/form-data too', async () => {
    const c = await makeCustomer(t, admin);
    const email = await insertEmail(c.id);
    const boundary = '----crm-test-boundary';
    const res = await t.request({
      method: 'POST',
      url: `/t/u/${email.token}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload:
        `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\n` +
        `One-Click\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await prefs(c.id);
    expect(after.preferences.email.marketing).toBe(false);
    expect(after.history[0]?.source).toBe('one_click');
  });

  it('the page’s own button unsubscribes (source unsubscribe_link) and confirms in HTML', async () => {
    const c = await makeCustomer(t, admin);
    const email = await insertEmail(c.id);
    const res = await t.request({
      method: 'POST',
      url: `/t/u/${email.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'confirm=yes',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('You are unsubscribed');
    expect(res.body).toContain('g***@example.com');
    const after = await prefs(c.id);
    expect(after.preferences.email.marketing).toBe(false);
    expect(after.history[0]).toMatchObject({ source: 'unsubscribe_link', email_id: email.id });
  });

  it('a second email’s link after unsubscribing records its own event but changes no preference', async () => {
    const c = await makeCustomer(t, admin);
    const first = await insertEmail(c.id);
    const second = await insertEmail(c.id);
    expect((await oneClick(first.token)).statusCode).toBe(200);
    expect((await oneClick(second.token)).statusCode).toBe(200);
    expect((await prefs(c.id)).history).toHaveLength(1);
    expect(await unsubscribeEvents(second.id)).toHaveLength(1);
  });

  it('answers an unknown token with 404 and changes nothing', async () => {
    const res = await oneClick(randomBytes(24).toString('base64url'));
    expect(res.statusCode).toBe(404);
    const form = await t.request({
      method: 'POST',
      url: `/t/u/${randomBytes(24).toString('base64url')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'confirm=yes',
    });
    expect(form.statusCode).toBe(404);
    expect(form.body).toContain('This link is not valid');
  });

  it('refuses an oversized body', async () => {
    const c = await makeCustomer(t, admin);
    const email = await insertEmail(c.id);
    const res = await t.request({
      method: 'POST',
      url: `/t/u/${email.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `List-Unsubscribe=One-Click&pad=${'x'.repeat(10_000)}`,
    });
    expect(res.statusCode).toBe(413);
    expect((await prefs(c.id)).preferences.email.marketing).toBe(true);
  });
});
