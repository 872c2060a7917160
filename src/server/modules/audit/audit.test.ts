import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditList } from '../../../shared/audit.js';
import type { Problem } from '../../../shared/problem.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/**
 * The audit log over HTTP: what sign-ins and staff changes write, the filters and paging of
 * GET /api/crm/audit, who may read it, and the database refusing to change what was written.
 */
const JWT_SECRET = 'audit-test-jwt-secret-with-at-least-32-characters';
const password = 'correct horse battery';
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;

beforeAll(async () => {
  t = await createTestApp({
    supabase: { jwtSecret: JWT_SECRET, jwksUrl: undefined, audience: 'authenticated', issuer: undefined },
  });
  admin = await t.staff('admin');
  agent = await t.staff('agent', { password, email: 'audited.agent@staff.test' });
});
afterAll(() => t?.close());

async function audit(query: string, as: StaffHandle = admin) {
  const res = await t.request({ method: 'GET', url: `/api/crm/audit?${query}`, as });
  return { status: res.statusCode, body: res.json<AuditList & Problem>(), res };
}

async function entries(query: string): Promise<AuditEntry[]> {
  const { status, body } = await audit(query);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.data;
}

const signIn = (email: string, pw: string, remoteAddress: string) =>
  t.request({ method: 'POST', url: '/api/auth/login', payload: { email, password: pw }, remoteAddress });

describe('sign-ins', () => {
  it('a password sign-in is logged with its ip, actor and method', async () => {
    expect((await signIn(agent.email, password, '10.1.2.3')).statusCode).toBe(200);
    const [entry] = await entries(`action=auth.sign_in&actor_id=${agent.id}`);
    expect(entry).toMatchObject({
      action: 'auth.sign_in',
      actor: { id: agent.id, email: agent.email, name: expect.any(String) },
      subject_type: 'staff_user',
      subject_id: agent.id,
      ip: '10.1.2.3',
      details: { method: 'password' },
    });
    expect(entry!.id).toMatch(/^\d+$/);
  });

  it('a failed sign-in keeps the email tried and why, never the password', async () => {
    expect((await signIn(agent.email, 'not-the-password-x1', '10.1.2.4')).statusCode).toBe(401);
    expect((await signIn('nobody@staff.test', 'not-the-password-x2', '10.1.2.5')).statusCode).toBe(401);

    const { body, res } = await audit('action=auth.sign_in_failed');
    expect(res.body).not.toContain('not-the-password');
    const wrong = body.data.find((e) => e.subject_id === agent.id);
    expect(wrong).toMatchObject({
      actor: { id: null, email: agent.email, name: null },
      subject_type: 'staff_user',
      ip: '10.1.2.4',
      details: { method: 'password', reason: 'wrong_password' },
    });
    const unknown = body.data.find((e) => e.actor?.email === 'nobody@staff.test');
    expect(unknown).toMatchObject({
      subject_type: null,
      subject_id: null,
      ip: '10.1.2.5',
      details: { reason: 'unknown_account' },
    });
  });
});

describe('staff changes', () => {
  it('creating, promoting and disabling a user are logged by whom, with from and to', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      as: admin,
      payload: { email: 'audited.new@staff.test', password: 'long-enough-pass', role: 'agent' },
      remoteAddress: '10.7.7.7',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const patch = (payload: Record<string, unknown>) =>
      t.request({ method: 'PATCH', url: `/api/users/${id}`, as: admin, payload, remoteAddress: '10.7.7.7' });
    expect((await patch({ role: 'manager' })).statusCode).toBe(200);
    expect((await patch({ name: 'Renamed' })).statusCode).toBe(200);
    expect((await patch({ disabled: true })).statusCode).toBe(200);
    expect((await patch({ disabled: false })).statusCode).toBe(200);

    const log = await entries(`subject_type=staff_user&subject_id=${id}`);
    expect(log.map((e) => e.action)).toEqual([
      'staff.enabled',
      'staff.disabled',
      'staff.role_changed',
      'staff.created',
    ]);
    for (const e of log) expect(e).toMatchObject({ actor: { id: admin.id }, ip: '10.7.7.7' });
    expect(log[2]!.details).toEqual({ from: 'agent', to: 'manager' });
    expect(log[3]!.details).toEqual({ email: 'audited.new@staff.test', role: 'agent' });
  });

  it('a refused change writes nothing', async () => {
    const before = await entries(`subject_id=${admin.id}&action=staff.role_changed`);
    const res = await t.request({
      method: 'PATCH',
      url: `/api/users/${admin.id}`,
      as: admin,
      payload: { role: 'viewer' },
    });
    expect(res.statusCode).toBe(409);
    expect(await entries(`subject_id=${admin.id}&action=staff.role_changed`)).toEqual(before);
  });
});

describe('Supabase sign-ins and roles from app_metadata', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const jwt = (claims: Record<string, unknown>) =>
    new SignJWT({ aud: 'authenticated', exp: now() + 60, ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(JWT_SECRET));
  const me = async (token: string) =>
    t.request({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

  it('logs the first visit, each new sign-in once, and role changes made on the platform', async () => {
    const sub = (
      await sql<{ id: string }>`insert into auth.users (email) values ('platform.staff@example.com')
        returning id`.execute(t.database.db)
    ).rows[0]!.id;
    const session = (role: string, signedIn: number, iat = now()) =>
      jwt({ sub, iat, app_metadata: { crm_role: role }, amr: [{ method: 'otp', timestamp: signedIn }] });

    const first = now() - 120;
    const res = await me(await session('viewer', first));
    expect(res.json()).toMatchObject({ role: 'viewer', auth: 'supabase_jwt' });
    const staffId = res.json<{ id: string }>().id;
    // the same sign-in again, and refreshed later: still one sign-in
    expect((await me(await session('viewer', first))).statusCode).toBe(200);
    expect((await me(await session('viewer', first, now() + 1))).statusCode).toBe(200);
    // the platform makes them an agent
    expect((await me(await session('agent', first))).json()).toMatchObject({ role: 'agent' });
    // and they sign in again
    expect((await me(await session('agent', now() - 5))).statusCode).toBe(200);

    const log = await entries(`subject_id=${staffId}`);
    expect(log.map((e) => e.action)).toEqual([
      'auth.sign_in',
      'staff.role_changed',
      'auth.sign_in',
      'staff.created',
    ]);
    expect(log[0]).toMatchObject({
      actor: { id: staffId, email: 'platform.staff@example.com' },
      details: { method: 'supabase_jwt', via: 'otp' },
    });
    expect(log[1]).toMatchObject({
      actor: null,
      details: { from: 'viewer', to: 'agent', source: 'app_metadata' },
    });
    expect(log[3]).toMatchObject({ actor: null, details: { role: 'viewer', source: 'app_metadata' } });
  });
});

describe('filters and paging', () => {
  // entries of a subject type of their own, at known times (two a microsecond apart)
  const seeded = [
    { at: '2021-03-01T10:00:00.000001Z', action: 'export.requested', actor: 'a' },
    { at: '2021-03-01T10:00:00.000002Z', action: 'export.approved', actor: 'b' },
    { at: '2021-03-02T00:00:00Z', action: 'export.downloaded', actor: 'a' },
    { at: '2021-03-02T00:00:00Z', action: 'export.downloaded', actor: 'b' },
    { at: '2021-03-03T12:00:00Z', action: 'export.deleted', actor: 'a' },
    { at: '2021-03-04T12:00:00Z', action: 'export.requested', actor: 'b' },
    { at: '2021-03-05T12:00:00Z', action: 'export.failed', actor: null },
  ];
  const actors = { a: '11111111-1111-4111-8111-111111111111', b: '22222222-2222-4222-8222-222222222222' };
  let ids: string[] = [];

  beforeAll(async () => {
    ids = [];
    for (const [i, s] of seeded.entries()) {
      const row = await t.database.db
        .insertInto('audit_log')
        .values({
          at: s.at,
          action: s.action,
          actor_id: s.actor ? actors[s.actor as 'a' | 'b'] : null,
          subject_type: 'paging_test',
          subject_id: `e${i}`,
          details: JSON.stringify({ n: i }),
        })
        .returning(sql<string>`id::text`.as('id'))
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
  });

  const subjects = (list: AuditEntry[]) => list.map((e) => e.subject_id);

  it('pages newest first with an opaque cursor, ties broken by id, to the microsecond', async () => {
    const seen: AuditEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: AuditList = (
        await audit(`subject_type=paging_test&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      seen.push(...page.data);
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(subjects(seen)).toEqual(['e6', 'e5', 'e4', 'e3', 'e2', 'e1', 'e0']);
    expect(seen[0]).toMatchObject({ id: ids[6], at: '2021-03-05T12:00:00.000Z', actor: null });
  });

  it('filters by action list, actor, subject and time range (from inclusive, to exclusive)', async () => {
    const base = 'subject_type=paging_test';
    expect(subjects(await entries(`${base}&action=export.requested,export.deleted`))).toEqual([
      'e5',
      'e4',
      'e0',
    ]);
    expect(subjects(await entries(`${base}&actor_id=${actors.a}`))).toEqual(['e4', 'e2', 'e0']);
    expect(subjects(await entries(`${base}&subject_id=e3`))).toEqual(['e3']);
    const range = `from=${encodeURIComponent('2021-03-02T00:00:00Z')}&to=${encodeURIComponent('2021-03-04T12:00:00Z')}`;
    expect(subjects(await entries(`${base}&${range}`))).toEqual(['e4', 'e3', 'e2']);
    const offset = `from=${encodeURIComponent('2021-03-01T11:00:00.000001+01:00')}&to=2021-03-02T00:00:00Z`;
    expect(subjects(await entries(`${base}&${offset}`))).toEqual(['e1', 'e0']);
  });

  it('bad filters are a 400 problem naming the field', async () => {
    const cases: [string, string][] = [
      ['action=export.requested,nope', 'action'],
      ['actor_id=not-a-uuid', 'actor_id'],
      ['from=yesterday', 'from'],
      ['to=2021-03-02', 'to'],
      ['limit=0', 'limit'],
      ['from=2021-03-03T00:00:00Z&to=2021-03-02T00:00:00Z', 'to'],
      ['cursor=garbage', 'cursor'],
      [
        `cursor=${Buffer.from(JSON.stringify({ s: 'audit:at:desc', v: 'x', id: '1' })).toString('base64url')}`,
        'cursor',
      ],
      [
        `cursor=${Buffer.from(JSON.stringify({ s: 'audit:at:desc', v: '2021-03-01', id: '1;' })).toString('base64url')}`,
        'cursor',
      ],
    ];
    for (const [query, field] of cases) {
      const { status, body, res } = await audit(query);
      expect(status, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(body.errors?.[0]?.field, query).toMatch(new RegExp(`^${field}\\b`));
    }
  });
});

describe('who may read it', () => {
  it('only administrators: everyone else gets 403, nobody signed in 401', async () => {
    for (const role of ['manager', 'agent', 'viewer'] as const) {
      const { status, body } = await audit('', await t.staff(role));
      expect(status).toBe(403);
      expect(body.code).toBe('forbidden');
    }
    expect((await t.request({ method: 'GET', url: '/api/crm/audit' })).statusCode).toBe(401);
  });
});

describe('append-only', () => {
  it('the database refuses UPDATE, DELETE and TRUNCATE; the entry stays as written', async () => {
    const db = t.database.db;
    const written = await db
      .insertInto('audit_log')
      .values({ action: 'privacy.erasure', subject_type: 'tamper_test', subject_id: 'x', details: '{"a":1}' })
      .returning(sql<string>`id::text`.as('id'))
      .executeTakeFirstOrThrow();
    const read = () =>
      db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'tamper_test').execute();
    const before = await read();

    await expect(
      sql`update audit_log set action = 'auth.sign_in' where id = ${written.id}::bigint`.execute(db),
    ).rejects.toThrow(/append-only: UPDATE is not allowed/);
    await expect(sql`delete from audit_log where id = ${written.id}::bigint`.execute(db)).rejects.toThrow(
      /append-only: DELETE is not allowed/,
    );
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
    const refused = await sql`delete from audit_log`.execute(db).catch((err: { code?: string }) => err);
    expect(refused).toMatchObject({ code: '42501' });

    expect(await read()).toEqual(before);
    expect((await entries('subject_type=tamper_test')).map((e) => e.id)).toEqual([written.id]);
  });
});
