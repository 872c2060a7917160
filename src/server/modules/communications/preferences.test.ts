import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunicationPreferencesResponse } from '../../../shared/communications.js';
import type { Customer } from '../../../shared/customers.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Communication preferences over HTTP: defaults, version-checked changes, history, timeline. */
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;
let viewer: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  agent = await t.staff('agent');
  viewer = await t.staff('viewer');
});
afterAll(() => t?.close());

type Reply = CommunicationPreferencesResponse & Omit<Partial<Problem>, 'status'>;

const url = (id: string) => `/api/crm/customers/${id}/communication-preferences`;

async function get(id: string, as: StaffHandle = agent) {
  const res = await t.request({ method: 'GET', url: url(id), as });
  return { status: res.statusCode, body: res.json<Reply>(), raw: res.body };
}

async function put(id: string, payload: Record<string, unknown>, as: StaffHandle = agent) {
  const res = await t.request({ method: 'PUT', url: url(id), as, payload });
  return { status: res.statusCode, body: res.json<Reply>(), raw: res.body };
}

const events = (customerId: string) =>
  t.database.db
    .selectFrom('customer_events')
    .select(['kind', 'summary', 'actor_id', 'data'])
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'preferences_changed')
    .orderBy('occurred_at')
    .execute();

const historyRows = (customerId: string) =>
  t.database.db
    .selectFrom('communication_preference_changes')
    .selectAll()
    .where('customer_id', '=', customerId)
    .execute();

describe('GET /customers/:id/communication-preferences', () => {
  it('spells out the defaults for a new customer: everything allowed, tracking on, no history', async () => {
    const c = await makeCustomer(t, admin);
    const { status, body } = await get(c.id, viewer);
    expect(status).toBe(200);
    expect(body).toEqual({
      preferences: {
        email: { marketing: true, transactional: true },
        sms: { marketing: true, transactional: true },
        phone: { marketing: true, transactional: true },
        do_not_contact: false,
        tracking: true,
        data_sharing: true,
      },
      version: c.version,
      history: [],
    });
  });

  it('is 404 for an unknown customer and 400 naming id for a malformed one', async () => {
    const missing = await get('00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const bad = await get('nope');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('id');
  });
});

describe('PUT /customers/:id/communication-preferences', () => {
  let c: Customer;
  beforeAll(async () => {
    c = await makeCustomer(t, admin);
  });

  it('changes only what is given, bumps the version, keeps history and a timeline event', async () => {
    const { status, body, raw } = await put(c.id, {
      email: { marketing: false },
      tracking: false,
      version: c.version,
    });
    expect(status, raw).toBe(200);
    expect(body.preferences).toEqual({
      email: { marketing: false, transactional: true },
      sms: { marketing: true, transactional: true },
      phone: { marketing: true, transactional: true },
      do_not_contact: false,
      tracking: false,
      data_sharing: true,
    });
    expect(body.version).toBe(c.version + 1);
    expect(body.history).toHaveLength(1);
    expect(body.history[0]).toMatchObject({
      source: 'staff',
      changed_by: { id: agent.id, name: expect.stringMatching(/^Agent/) },
      email_id: null,
      changes: { 'email.marketing': [true, false], tracking: [true, false] },
    });

    // stored partially, in the customer's own jsonb (what sending reads)
    const stored = await t.database.db
      .selectFrom('customers')
      .select(['communication_preferences', 'version'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(stored.communication_preferences).toEqual({ email: { marketing: false }, tracking: false });
    expect(stored.version).toBe(c.version + 1);

    const timeline = await events(c.id);
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({
      summary: 'Email marketing turned off, Tracking turned off',
      actor_id: agent.id,
      data: { source: 'staff', changes: { 'email.marketing': [true, false] } },
    });

    // and the profile's timeline shows it
    const feed = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${c.id}/timeline?kind=preferences_changed`,
      as: viewer,
    });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.json<{ data: { summary: string }[] }>().data.map((e) => e.summary)).toEqual([
      'Email marketing turned off, Tracking turned off',
    ]);

    // the profile agrees, and its version is the one to send next
    const profile = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${c.id}`, as: agent })
    ).json<Customer>();
    expect(profile.version).toBe(c.version + 1);
    expect(profile.communication_preferences).toMatchObject({ email: { marketing: false }, tracking: false });
  });

  it('a change to nothing answers 200 and writes nothing', async () => {
    const before = await get(c.id);
    const { status, body } = await put(c.id, {
      email: { marketing: false, transactional: true },
      version: before.body.version,
    });
    expect(status).toBe(200);
    expect(body.version).toBe(before.body.version);
    expect(body.history).toHaveLength(before.body.history.length);
    expect(await historyRows(c.id)).toHaveLength(1);
    expect(await events(c.id)).toHaveLength(1);
  });

  it('answers a stale version with 409 and the current preferences, changing nothing', async () => {
    const current = await get(c.id);
    const stale = await put(c.id, { do_not_contact: true, version: current.body.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.errors?.[0]?.field).toBe('version');
    expect((stale.body.current as CommunicationPreferencesResponse).version).toBe(current.body.version);
    const after = await get(c.id);
    expect(after.body.preferences.do_not_contact).toBe(false);
    expect(after.body.version).toBe(current.body.version);
  });

  it('keeps history newest first and names turning things back on', async () => {
    const current = await get(c.id);
    const { body } = await put(c.id, {
      email: { marketing: true },
      sms: { marketing: false },
      do_not_contact: true,
      version: current.body.version,
    });
    expect(body.history.map((h) => Object.keys(h.changes).sort())).toEqual([
      ['do_not_contact', 'email.marketing', 'sms.marketing'],
      ['email.marketing', 'tracking'],
    ]);
    const latest = (await events(c.id)).at(-1);
    expect(latest?.summary).toBe(
      'Email marketing turned on, SMS marketing turned off, Do not contact turned on',
    );
  });

  it('names the bad field and refuses a missing version', async () => {
    const bad = await put(c.id, { email: { marketing: 'no' }, version: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(['email.marketing']);
    const noVersion = await put(c.id, { tracking: true });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.errors?.map((e) => e.field)).toEqual(['version']);
  });

  it('needs customers:write (a viewer may read, not change)', async () => {
    const current = await get(c.id, viewer);
    expect(current.status).toBe(200);
    const denied = await put(c.id, { tracking: true, version: current.body.version }, viewer);
    expect(denied.status).toBe(403);
  });

  it('is 404 for an unknown customer', async () => {
    const missing = await put('00000000-0000-4000-8000-000000000000', { tracking: true, version: 1 });
    expect(missing.status).toBe(404);
  });
});

describe('PUT /customers/:id with communication_preferences', () => {
  it('records what changed in the preference history too', async () => {
    const c = await makeCustomer(t, admin);
    const res = await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${c.id}`,
      as: agent,
      payload: { version: c.version, communication_preferences: { phone: { transactional: false } } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { body } = await get(c.id);
    expect(body.preferences.phone).toEqual({ marketing: true, transactional: false });
    expect(body.history).toHaveLength(1);
    expect(body.history[0]).toMatchObject({
      source: 'staff',
      changed_by: { id: agent.id },
      changes: { 'phone.transactional': [true, false] },
    });
  });
});
