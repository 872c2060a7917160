import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, TimelineEvent } from '../../../shared/customers.js';
import type { Problem } from '../../../shared/problem.js';
import type { InboundTicketResult, TicketDetail } from '../../../shared/tickets.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { signWebhook } from '../../platform/signed-webhook.js';

/** Inbound tickets from external help desks: HMAC-signed, replay-proof, idempotent. */
const secret = 'inbound-test-secret-0123456789';
let t: TestApp;
let admin: StaffHandle;
let customer: Customer;

beforeAll(async () => {
  t = await createTestApp({ ticketsInboundSecret: secret });
  admin = await t.staff('admin');
  customer = await makeCustomer(t, admin, { email: `Inbound-${Date.now()}@Example.com` });
});
afterAll(() => t?.close());

const now = () => Math.floor(Date.now() / 1000);

async function deliver(
  body: Record<string, unknown> | string,
  opts: { delivery?: string; timestamp?: number; signature?: string; app?: TestApp; secret?: string } = {},
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? now());
  const res = await (opts.app ?? t).request({
    method: 'POST',
    url: '/api/crm/tickets/inbound',
    payload: raw,
    headers: {
      'content-type': 'application/json',
      'x-crm-delivery': opts.delivery ?? randomUUID(),
      'x-crm-timestamp': timestamp,
      'x-crm-signature': opts.signature ?? signWebhook(opts.secret ?? secret, timestamp, raw),
    },
  });
  return {
    status: res.statusCode,
    body: res.json<InboundTicketResult & Omit<Partial<Problem>, 'status'>>(),
    res,
  };
}

const ticket = async (id: string) =>
  (await t.request({ method: 'GET', url: `/api/crm/tickets/${id}`, as: admin })).json<TicketDetail>();

describe('POST /api/crm/tickets/inbound', () => {
  it('creates a ticket, links the customer by email (any case), then updates it idempotently', async () => {
    const payload = {
      source: 'zendesk',
      external_id: 'ZD-1001',
      subject: 'Cannot log in',
      description: 'Password reset mail never arrives',
      priority: 'high',
      customer_email: customer.email!.toUpperCase(),
      comments: [
        { external_id: 'c1', body: 'Tried twice', visibility: 'public', author: 'customer' },
        { body: 'Escalating', visibility: 'internal', author: 'Zed Agent' },
      ],
    };
    const created = await deliver(payload);
    expect(created.status, created.res.body).toBe(201);
    expect(created.body).toMatchObject({ created: true, comments_added: 2 });
    const first = await ticket(created.body.id);
    expect(first).toMatchObject({
      subject: 'Cannot log in',
      status: 'open',
      priority: 'high',
      external_source: 'zendesk',
      external_id: 'ZD-1001',
      customer: { id: customer.id },
      created_by: null,
      version: 1,
    });
    expect(Math.round((Date.parse(first.sla_due_at) - Date.parse(first.created_at)) / 60000)).toBe(1440);
    expect(first.comments.map((c) => [c.body, c.visibility, c.external_author, c.author])).toEqual([
      ['Tried twice', 'public', 'customer', null],
      ['Escalating', 'internal', 'Zed Agent', null],
    ]);

    // the same content again (a new delivery, signed anew): nothing changes, nothing is added twice
    const again = await deliver(payload, { timestamp: now() - 60 });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: created.body.id, created: false, comments_added: 0 });
    const same = await ticket(created.body.id);
    expect(same.version).toBe(1);
    expect(same.comments).toHaveLength(2);

    // a real update: new status and a new comment
    const update = await deliver({
      ...payload,
      description: payload.description,
      status: 'resolved',
      comments: [
        ...payload.comments,
        { external_id: 'c2', body: 'Fixed', visibility: 'public', author: 'Zed' },
      ],
    });
    expect(update.status).toBe(200);
    expect(update.body).toEqual({ id: created.body.id, created: false, comments_added: 1 });
    const updated = await ticket(created.body.id);
    expect(updated).toMatchObject({ status: 'resolved', version: 2 });
    expect(updated.resolved_at).not.toBeNull();
    expect(updated.comments).toHaveLength(3);

    const events = (
      await t.request({
        method: 'GET',
        url: `/api/crm/customers/${customer.id}/timeline?kind=ticket_opened,ticket_updated,ticket_commented`,
        as: admin,
      })
    ).json<{ data: TimelineEvent[] }>().data;
    // events of one delivery share its transaction's time, so compare them by kind
    expect(events.map((e) => e.kind).sort()).toEqual([
      'ticket_commented',
      'ticket_commented',
      'ticket_opened',
      'ticket_updated',
    ]);
    const updatedEvent = events.find((e) => e.kind === 'ticket_updated');
    expect(updatedEvent?.data).toMatchObject({ changes: { status: { before: 'open', after: 'resolved' } } });
    const comments = events.filter((e) => e.kind === 'ticket_commented').map((e) => e.data);
    expect(comments).toContainEqual(
      expect.objectContaining({ count: 2, internal: true, external_source: 'zendesk' }),
    );
    expect(comments).toContainEqual(expect.objectContaining({ count: 1, internal: false }));
    expect(events.find((e) => e.kind === 'ticket_opened')?.actor).toBeNull();
  });

  it('creates a ticket without a customer when the email is unknown', async () => {
    const { status, body } = await deliver({
      source: 'freshdesk',
      external_id: '77',
      subject: 'Question',
      customer_email: 'nobody-here@example.org',
      status: 'closed',
    });
    expect(status).toBe(201);
    const created = await ticket(body.id);
    expect(created.customer).toBeNull();
    expect(created.status).toBe('closed');
    expect(created.closed_at).not.toBeNull();
  });

  it('refuses a replayed delivery id with 409 and changes nothing', async () => {
    const delivery = randomUUID();
    const payload = { source: 'zendesk', external_id: 'ZD-2', subject: 'First' };
    expect((await deliver(payload, { delivery })).status).toBe(201);
    const replay = await deliver({ ...payload, subject: 'Changed' }, { delivery });
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('conflict');
    const row = await t.database.db
      .selectFrom('tickets')
      .select('subject')
      .where('external_id', '=', 'ZD-2')
      .executeTakeFirstOrThrow();
    expect(row.subject).toBe('First');
  });

  it('refuses the same signed bytes replayed under a new delivery id', async () => {
    const raw = JSON.stringify({ source: 'zendesk', external_id: 'ZD-3', subject: 'Once' });
    const timestamp = now();
    const signature = signWebhook(secret, String(timestamp), raw);
    expect((await deliver(raw, { timestamp, signature })).status).toBe(201);
    expect((await deliver(raw, { timestamp, signature })).status).toBe(409);
  });

  it('refuses a bad signature with 401, before looking at the body', async () => {
    const payload = { source: 'zendesk', external_id: 'ZD-4', subject: 'Forged' };
    const wrongSecret = await deliver(payload, { secret: 'another-secret-of-16-chars' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.res.headers['content-type']).toContain('application/problem+json');
    expect((await deliver(payload, { signature: 'v1=deadbeef' })).status).toBe(401);
    expect((await deliver(payload, { signature: '' })).status).toBe(401);
    // signed over other bytes (the body was changed on the way)
    const ts = now();
    const tampered = await deliver(
      { ...payload, subject: 'Tampered' },
      { timestamp: ts, signature: signWebhook(secret, String(ts), JSON.stringify(payload)) },
    );
    expect(tampered.status).toBe(401);
    // even an invalid body: unsigned callers learn nothing about the schema
    expect((await deliver({ nonsense: true }, { signature: 'v1=00' })).status).toBe(401);
    const count = await t.database.db
      .selectFrom('tickets')
      .select(t.database.db.fn.countAll<string>().as('n'))
      .where('external_id', '=', 'ZD-4')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses timestamps more than 5 minutes old or ahead with 401', async () => {
    const payload = { source: 'zendesk', external_id: 'ZD-5', subject: 'Late' };
    expect((await deliver(payload, { timestamp: now() - 301 })).status).toBe(401);
    expect((await deliver(payload, { timestamp: now() + 301 })).status).toBe(401);
    const bad = await t.request({
      method: 'POST',
      url: '/api/crm/tickets/inbound',
      payload,
      headers: { 'x-crm-delivery': 'x', 'x-crm-timestamp': 'yesterday', 'x-crm-signature': 'v1=00' },
    });
    expect(bad.statusCode).toBe(401);
    expect((await deliver(payload, { timestamp: now() - 200 })).status).toBe(201);
  });

  it('answers bad bodies (signed) with 400 naming the field, and a missing delivery id too', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ source: 'zendesk', subject: 'No id' }, 'external_id'],
      [{ source: 'zendesk', external_id: 'X', subject: '' }, 'subject'],
      [{ source: 'zendesk', external_id: 'X', subject: 'S', priority: 'asap' }, 'priority'],
      [{ source: 'zendesk', external_id: 'X', subject: 'S', customer_email: 'nope' }, 'customer_email'],
      [
        {
          source: 'zendesk',
          external_id: 'X',
          subject: 'S',
          comments: [{ body: 'b', visibility: 'x', author: 'a' }],
        },
        'comments[0].visibility',
      ],
    ];
    for (const [payload, field] of cases) {
      const { status, body } = await deliver(payload);
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(body.errors?.map((e) => e.field)).toContain(field);
    }
    const raw = JSON.stringify({ source: 'zendesk', external_id: 'X', subject: 'S' });
    const ts = String(now());
    const res = await t.request({
      method: 'POST',
      url: '/api/crm/tickets/inbound',
      payload: raw,
      headers: {
        'content-type': 'application/json',
        'x-crm-timestamp': ts,
        'x-crm-signature': signWebhook(secret, ts, raw),
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]?.field).toBe('x-crm-delivery');
  });

  it('answers 503 when no secret is configured', async () => {
    const unconfigured = await createTestApp();
    try {
      const res = await deliver(
        { source: 'zendesk', external_id: 'ZD-6', subject: 'Hi' },
        { app: unconfigured },
      );
      expect(res.status).toBe(503);
      expect(res.res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.detail).toBe('inbound tickets are not configured');
    } finally {
      await unconfigured.close();
    }
  });

  it('refuses bodies over 2 MiB with 413 before checking them', async () => {
    const huge = {
      source: 'zendesk',
      external_id: 'BIG',
      subject: 'Big',
      description: 'x'.repeat(2 * 1024 * 1024),
    };
    const res = await deliver(huge);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('other routes still parse JSON as before (the raw-body capture is this route only)', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/crm/tickets',
      as: admin,
      payload: { subject: 'Parsed normally' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('forgets delivery ids after a day, when the scheduler runs (a replay is refused by its old timestamp by then)', async () => {
    const delivery = randomUUID();
    expect(
      (await deliver({ source: 'zendesk', external_id: 'PRUNE-1', subject: 'Prune' }, { delivery })).status,
    ).toBe(201);
    const held = () =>
      t.database.db
        .selectFrom('inbound_deliveries')
        .select('delivery_id')
        .where('delivery_id', '=', delivery)
        .execute();
    await t.app.workers.schedule(new Date());
    expect(await held()).toHaveLength(1);
    await t.app.workers.schedule(new Date(Date.now() + 25 * 3600_000));
    expect(await held()).toHaveLength(0);
  });
});
