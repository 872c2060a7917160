import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerList } from '../../src/shared/customers.js';
import { staffRoles } from '../../src/shared/enums.js';
import { rolePermissions, type Permission } from '../../src/shared/permissions.js';
import type { ThreadList } from '../../src/shared/communications.js';
import { testConfig } from '../../src/server/config.js';
import { signWebhook } from '../../src/server/platform/signed-webhook.js';
import { makeCustomer, makeOrder } from '../helpers/factories.js';
import { startSmtpPeer } from '../helpers/smtp-peer.js';
import { type StaffHandle, type TestApp, createTestApp } from '../helpers/test-app.js';

/**
 * The CRM over HTTP with its platform: Supabase-style sign-ups, orders, staff authentication
 * (sessions, API tokens, Supabase JWTs) and the permission matrix.
 */
const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters';
let t: TestApp;
let admin: StaffHandle;
let jwks: Server;
let jwksUrl: string;
let esKey: CryptoKey;
let attackerKey: CryptoKey;
let attackerJwks: Server;

async function serveJwks(keys: unknown[]): Promise<Server> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/.well-known/jwks.json`;

beforeAll(async () => {
  const es = await generateKeyPair('ES256', { extractable: true });
  esKey = es.privateKey;
  jwks = await serveJwks([{ ...(await exportJWK(es.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }]);
  jwksUrl = urlOf(jwks);
  const attacker = await generateKeyPair('ES256', { extractable: true });
  attackerKey = attacker.privateKey;
  attackerJwks = await serveJwks([
    { ...(await exportJWK(attacker.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' },
  ]);
  t = await createTestApp({
    supabase: { jwtSecret: JWT_SECRET, jwksUrl, audience: 'authenticated', issuer: undefined },
    loginRateLimit: 3,
  });
  admin = await t.staff('admin');
});

afterAll(async () => {
  await t?.close();
  jwks?.close();
  attackerJwks?.close();
});

async function signUp(
  email: string,
  meta: Record<string, unknown> = {},
  appMeta: Record<string, unknown> = {},
) {
  const row = await sql<{ id: string }>`
    insert into auth.users (email, raw_user_meta_data, raw_app_meta_data)
    values (${email}, ${JSON.stringify(meta)}::jsonb, ${JSON.stringify(appMeta)}::jsonb) returning id`.execute(
    t.database.db,
  );
  return row.rows[0]!.id;
}

async function findByEmail(email: string): Promise<CustomerList['data'][number] | undefined> {
  const res = await t.request({
    method: 'GET',
    url: `/api/crm/customers?q=${encodeURIComponent(email)}`,
    as: admin,
  });
  return res.json<CustomerList>().data.find((c) => c.email === email);
}

describe('the platform', () => {
  it('answers health once the database is ready', async () => {
    const res = await t.request({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('publishes an OpenAPI 3 document of every route', async () => {
    const res = await t.request({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/crm/customers',
      '/api/crm/customers/{id}',
      '/api/orders',
      '/api/users',
      '/api/auth/login',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/api/crm/customers']!)).toEqual(expect.arrayContaining(['get', 'post']));
  });

  it('a sign-up in auth.users creates a lead with its acquisition source', async () => {
    const userId = await signUp('new.signup@example.com', {
      full_name: 'Ana María López',
      acquisition_source: 'instagram',
    });
    const customer = await findByEmail('new.signup@example.com');
    expect(customer).toMatchObject({
      user_id: userId,
      first_name: 'Ana',
      last_name: 'María López',
      lifecycle_stage: 'lead',
      customer_status: 'prospect',
      acquisition_source: 'instagram',
    });
    const timeline = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${customer!.id}/timeline`,
      as: admin,
    });
    expect(timeline.json<{ data: { kind: string }[] }>().data.map((e) => e.kind)).toContain('signed_up');
  });

  it('a sign-up with the email of a known lead links to it instead of duplicating', async () => {
    const lead = await makeCustomer(t, admin, { email: 'Known.Lead@Example.com' });
    const userId = await signUp('known.lead@example.com');
    const count = await t.database.db
      .selectFrom('customer_emails')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql`lower(email)`, '=', 'known.lead@example.com')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const res = await t.request({ method: 'GET', url: `/api/crm/customers/${lead.id}`, as: admin });
    expect(res.json<Customer>().user_id).toBe(userId);
  });
});

describe('orders keep customer metrics exact', () => {
  it('an order updates metrics; cancel and refund take it back out', async () => {
    const c = await makeCustomer(t, admin);
    // recent dates, so the lifecycle rules (relative to today) keep saying "customer"
    const firstAt = new Date(Date.now() - 40 * 86400_000).toISOString();
    const secondAt = new Date(Date.now() - 20 * 86400_000).toISOString();
    const first = await makeOrder(t, admin, c.id, {
      items: [
        { sku: 'BEAN-1', quantity: 2, unit_price: 12.5 },
        { sku: 'MUG-1', quantity: 1, unit_price: 9.99 },
      ],
      placed_at: firstAt,
    });
    expect(first.total).toBe(34.99);
    await makeOrder(t, admin, c.id, {
      items: [{ sku: 'BEAN-1', quantity: 1, unit_price: 15.01 }],
      placed_at: secondAt,
    });
    await makeOrder(t, admin, c.id, {
      status: 'pending',
      items: [{ sku: 'BEAN-1', quantity: 1, unit_price: 100 }],
    });

    let profile = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${c.id}`, as: admin })
    ).json<Customer>();
    expect(profile).toMatchObject({
      total_orders: 2,
      lifetime_value: 50,
      average_order_value: 25,
      last_order_date: secondAt,
      first_order_date: firstAt,
      lifecycle_stage: 'customer',
      customer_status: 'active',
    });
    expect(profile.recent_orders).toHaveLength(3);

    const cancel = await t.request({
      method: 'PATCH',
      url: `/api/orders/${first.id}`,
      as: admin,
      payload: { status: 'cancelled' },
    });
    expect(cancel.statusCode).toBe(200);
    profile = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${c.id}`, as: admin })
    ).json<Customer>();
    expect(profile).toMatchObject({ total_orders: 1, lifetime_value: 15.01, average_order_value: 15.01 });
    expect(profile.first_order_date).toBe(secondAt);

    const refundAll = await t.request({ method: 'GET', url: `/api/crm/customers/${c.id}/orders`, as: admin });
    for (const o of refundAll
      .json<{ data: { id: string; status: string }[] }>()
      .data.filter((o) => o.status === 'paid')) {
      await t.request({
        method: 'PATCH',
        url: `/api/orders/${o.id}`,
        as: admin,
        payload: { status: 'refunded' },
      });
    }
    profile = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${c.id}`, as: admin })
    ).json<Customer>();
    expect(profile).toMatchObject({
      total_orders: 0,
      lifetime_value: 0,
      average_order_value: 0,
      last_order_date: null,
    });
  });

  it('a full recompute gives the same numbers as the incremental updates', async () => {
    const c = await makeCustomer(t, admin);
    await makeOrder(t, admin, c.id, { items: [{ sku: 'BEAN-2', quantity: 3, unit_price: 7.77 }] });
    await makeOrder(t, admin, c.id, {
      status: 'fulfilled',
      items: [{ sku: 'BEAN-2', quantity: 1, unit_price: 1.01 }],
    });
    const before = await t.database.db
      .selectFrom('customer_metrics')
      .select([
        'customer_id',
        'total_orders',
        'lifetime_value',
        'average_order_value',
        'last_order_date',
        'first_order_date',
      ])
      .orderBy('customer_id')
      .execute();
    expect(before.some((c) => c.total_orders > 0)).toBe(true);
    const changed = await sql<{ n: number }>`select crm_recompute_all_metrics() as n`.execute(t.database.db);
    expect(Number(changed.rows[0]!.n)).toBe(0);
    await sql`update customer_metrics set lifetime_value = 0, total_orders = 0`.execute(t.database.db);
    await sql`select crm_recompute_all_metrics()`.execute(t.database.db);
    const after = await t.database.db
      .selectFrom('customer_metrics')
      .select([
        'customer_id',
        'total_orders',
        'lifetime_value',
        'average_order_value',
        'last_order_date',
        'first_order_date',
      ])
      .orderBy('customer_id')
      .execute();
    expect(after).toEqual(before);
  });
});

describe('staff sign-in', () => {
  const password = 'correct horse battery';
  let agent: StaffHandle;
  beforeAll(async () => {
    agent = await t.staff('agent', { password, email: 'agent.login@staff.test' });
  });

  it('signs in with an HTTP-only SameSite=Lax session cookie, answers /me, signs out', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'AGENT.login@staff.test', password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ email: agent.email, role: 'agent', auth: 'session' });
    const cookie = login.cookies.find((c) => c.name === 'crm_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await t.request({
      method: 'GET',
      url: '/api/auth/me',
      cookies: { crm_session: cookie.value },
    });
    expect(me.json()).toMatchObject({ role: 'agent', permissions: [...rolePermissions.agent] });
    const out = await t.request({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { crm_session: cookie.value },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.request({
      method: 'GET',
      url: '/api/auth/me',
      cookies: { crm_session: cookie.value },
    });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
  });

  it('changes a password with the current one; other sessions end', async () => {
    const user = await t.staff('viewer', { email: 'changer@staff.test', password: 'first-password-1' });
    const signIn = async (pw: string) =>
      t.request({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: pw } });
    const a = (await signIn('first-password-1')).cookies.find((c) => c.name === 'crm_session')!.value;
    const b = (await signIn('first-password-1')).cookies.find((c) => c.name === 'crm_session')!.value;
    const wrong = await t.request({
      method: 'POST',
      url: '/api/auth/password',
      cookies: { crm_session: a },
      payload: { current_password: 'nope', new_password: 'second-password-2' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ errors: [{ field: 'current_password' }] });
    const ok = await t.request({
      method: 'POST',
      url: '/api/auth/password',
      cookies: { crm_session: a },
      payload: { current_password: 'first-password-1', new_password: 'second-password-2' },
    });
    expect(ok.statusCode).toBe(204);
    expect(
      (await t.request({ method: 'GET', url: '/api/auth/me', cookies: { crm_session: a } })).statusCode,
    ).toBe(200);
    expect(
      (await t.request({ method: 'GET', url: '/api/auth/me', cookies: { crm_session: b } })).statusCode,
    ).toBe(401);
    expect((await signIn('first-password-1')).statusCode).toBe(401);
    expect((await signIn('second-password-2')).statusCode).toBe(200);
  });

  it('stores passwords as scrypt hashes, never in clear', async () => {
    const row = await t.database.db
      .selectFrom('staff_users')
      .select('password_hash')
      .where('id', '=', agent.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(password);
  });

  it('refuses cookie-authenticated writes from another origin', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: agent.email, password },
    });
    const crm_session = login.cookies.find((c) => c.name === 'crm_session')!.value;
    const evil = await t.request({
      method: 'POST',
      url: '/api/crm/customers',
      cookies: { crm_session },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: { first_name: 'Mallory' },
    });
    expect(evil.statusCode).toBe(403);
    const same = await t.request({
      method: 'POST',
      url: '/api/crm/customers',
      cookies: { crm_session },
      headers: { origin: 'http://localhost:80', host: 'localhost:80', 'sec-fetch-site': 'same-origin' },
      payload: { first_name: 'Friendly' },
    });
    expect(same.statusCode).toBe(201);
  });

  it('rate-limits failed sign-ins', async () => {
    const attempt = (pw: string) =>
      t.request({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'victim@staff.test', password: pw },
        remoteAddress: '10.9.9.9',
      });
    await t.staff('viewer', { email: 'victim@staff.test', password: 'the-real-password' });
    for (let i = 0; i < 3; i++) expect((await attempt(`wrong-${i}`)).statusCode).toBe(401);
    const limited = await attempt('the-real-password');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('personal API tokens are shown once, stored hashed, and revocable', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: agent.email, password },
    });
    const crm_session = login.cookies.find((c) => c.name === 'crm_session')!.value;
    const created = await t.request({
      method: 'POST',
      url: '/api/auth/tokens',
      cookies: { crm_session },
      payload: { name: 'script' },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json<{ id: string; token: string }>();
    const stored = await t.database.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const listed = await t.request({ method: 'GET', url: '/api/auth/tokens', cookies: { crm_session } });
    expect(JSON.stringify(listed.json())).not.toContain(token);
    const use = await t.request({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(use.json()).toMatchObject({ email: agent.email, auth: 'api_token' });
    await t.request({ method: 'DELETE', url: `/api/auth/tokens/${id}`, cookies: { crm_session } });
    const revoked = await t.request({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.statusCode).toBe(401);
  });
});

describe('Supabase JWTs', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const hs = (claims: Record<string, unknown>, secret = JWT_SECRET) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
  const me = (token: string) =>
    t.request({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

  it('accepts an HS256 token whose sub is a platform user linked to staff', async () => {
    const userId = await signUp('linked.staff@example.com');
    await t.database.db
      .insertInto('staff_users')
      .values({ email: 'linked.staff@example.com', role: 'manager', auth_user_id: userId })
      .execute();
    const res = await me(
      await hs({ sub: userId, aud: 'authenticated', exp: now() + 60, role: 'authenticated' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'manager', auth: 'supabase_jwt' });
  });

  it('takes the role from app_metadata, never from user_metadata', async () => {
    const userId = await signUp('meta.user@example.com');
    const fromUserMeta = await me(
      await hs({ sub: userId, aud: 'authenticated', exp: now() + 60, user_metadata: { crm_role: 'admin' } }),
    );
    expect(fromUserMeta.statusCode).toBe(401);
    const fromAppMeta = await me(
      await hs({
        sub: userId,
        aud: 'authenticated',
        exp: now() + 60,
        app_metadata: { crm_role: 'viewer' },
        user_metadata: { crm_role: 'admin' },
      }),
    );
    expect(fromAppMeta.json()).toMatchObject({ role: 'viewer' });
  });

  it('refuses forged, expired, not-yet-valid, wrong-audience and unsigned tokens', async () => {
    const userId = await signUp('jwt.target@example.com');
    await t.database.db
      .insertInto('staff_users')
      .values({ email: 'jwt.target@example.com', role: 'admin', auth_user_id: userId })
      .execute();
    const base = { sub: userId, aud: 'authenticated' };
    expect((await me(await hs({ ...base, exp: now() + 60 }))).statusCode).toBe(200);
    expect(
      (await me(await hs({ ...base, exp: now() + 60 }, 'another-secret-that-is-long-enough!!'))).statusCode,
    ).toBe(401);
    expect((await me(await hs({ ...base, exp: now() - 120 }))).statusCode).toBe(401);
    expect((await me(await hs({ ...base, exp: now() + 600, nbf: now() + 300 }))).statusCode).toBe(401);
    expect((await me(await hs({ ...base, aud: 'other', exp: now() + 60 }))).statusCode).toBe(401);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...base, exp: now() + 60 })).toString('base64url');
    expect((await me(`${header}.${payload}.`)).statusCode).toBe(401);
    const unknownUser = await hs({
      sub: '00000000-0000-4000-8000-000000000000',
      aud: 'authenticated',
      exp: now() + 60,
      app_metadata: { crm_role: 'admin' },
    });
    expect((await me(unknownUser)).statusCode).toBe(401);
  });

  it('verifies ES256 tokens with the project JWKS and ignores a jku header', async () => {
    const userId = await signUp('es.user@example.com');
    const claims = {
      sub: userId,
      aud: 'authenticated',
      exp: now() + 60,
      app_metadata: { crm_role: 'agent' },
    };
    const good = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(esKey);
    expect((await me(good)).json()).toMatchObject({ role: 'agent', auth: 'supabase_jwt' });
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', jku: urlOf(attackerJwks) })
      .sign(attackerKey);
    expect((await me(forged)).statusCode).toBe(401);
  });
});

describe('the permission matrix', () => {
  // one representative route per permission; a route answers 403 exactly when the role lacks it
  const probes: {
    permission: Permission;
    method: 'GET' | 'POST' | 'PUT' | 'PATCH';
    url: () => string;
    payload?: () => unknown;
  }[] = [];
  let customer: Customer;
  let orderId: string;
  const handles: Partial<Record<(typeof staffRoles)[number], StaffHandle>> = {};

  beforeAll(async () => {
    customer = await makeCustomer(t, admin, { email: 'matrix@example.com', phone: '+1 555 0100' });
    orderId = (await makeOrder(t, admin, customer.id)).id;
    for (const role of staffRoles) handles[role] = await t.staff(role);
    probes.push(
      { permission: 'customers:read', method: 'GET', url: () => '/api/crm/customers' },
      {
        permission: 'customers:write',
        method: 'PUT',
        url: () => `/api/crm/customers/${customer.id}`,
        payload: () => ({ version: 999, first_name: 'x' }),
      },
      { permission: 'customers:import', method: 'POST', url: () => '/api/crm/customers/import/preview' },
      { permission: 'orders:read', method: 'GET', url: () => `/api/orders/${orderId}` },
      {
        permission: 'orders:write',
        method: 'PATCH',
        url: () => `/api/orders/${orderId}`,
        payload: () => ({ status: 'paid' }),
      },
      { permission: 'products:read', method: 'GET', url: () => '/api/products' },
      {
        permission: 'products:write',
        method: 'POST',
        url: () => '/api/products',
        payload: () => ({ sku: '', name: '', price: -1 }),
      },
      { permission: 'users:manage', method: 'GET', url: () => '/api/users' },
      {
        permission: 'settings:manage',
        method: 'PUT',
        url: () => '/api/crm/lifecycle/rules',
        payload: () => ({}),
      },
      {
        permission: 'tags:manage',
        method: 'POST',
        url: () => '/api/crm/tags',
        payload: () => ({ name: '' }),
      },
      {
        permission: 'segments:manage',
        method: 'POST',
        url: () => '/api/crm/segments',
        payload: () => ({ name: '' }),
      },
    );
  });

  it.each(staffRoles)('%s gets exactly its permissions', async (role) => {
    const as = handles[role]!;
    for (const probe of probes) {
      const res = await t.request({
        method: probe.method,
        url: probe.url(),
        as,
        ...(probe.payload ? { payload: probe.payload() as Record<string, unknown> } : {}),
      });
      const allowed = rolePermissions[role].includes(probe.permission);
      expect({ role, probe: probe.permission, forbidden: res.statusCode === 403 }).toEqual({
        role,
        probe: probe.permission,
        forbidden: !allowed,
      });
      expect(res.statusCode).not.toBe(500);
    }
  });

  it('masks email and phone for a viewer', async () => {
    const res = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${customer.id}`,
      as: handles.viewer!,
    });
    const body = res.json<Customer>();
    expect(res.statusCode, res.body).toBe(200);
    expect(body.email).toBe('m***@example.com');
    expect(body.phone).toBe('***00');
    expect(JSON.stringify(body)).not.toContain('matrix@example.com');
    const list = await t.request({ method: 'GET', url: '/api/crm/customers?q=matrix', as: handles.viewer! });
    expect(JSON.stringify(list.json())).not.toContain('matrix@example.com');
    const agentView = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${customer.id}`,
      as: handles.agent!,
    });
    expect(agentView.json<Customer>().email).toBe('matrix@example.com');
  });

  it('requires sign-in on every API route but health and login', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const paths = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/'));
    expect(paths.length).toBeGreaterThan(15);
    for (const [path, methods] of paths) {
      for (const method of Object.keys(methods)) {
        if (path === '/api/health' || path === '/api/auth/login') continue;
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await t.request({ method: method.toUpperCase() as 'GET', url });
        // signed by an HMAC instead of a sign-in, and not configured here (no secrets set)
        const signed = [
          '/api/crm/tickets/inbound',
          '/api/crm/communications/inbound',
          '/api/crm/communications/webhooks/events',
          '/api/orders/ingest/webhook',
        ];
        const expected = signed.includes(path) ? 503 : 401;
        expect({ path, method, status: res.statusCode }).toEqual({ path, method, status: expected });
      }
    }
  });
});

describe('staff administration', () => {
  it('admins create users, change roles and disable them; others may not', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      as: admin,
      payload: { email: 'new.agent@staff.test', password: 'long-enough-pass', role: 'agent' },
    });
    expect(created.statusCode).toBe(201);
    const dup = await t.request({
      method: 'POST',
      url: '/api/users',
      as: admin,
      payload: { email: 'NEW.agent@staff.test', password: 'long-enough-pass', role: 'agent' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ errors: [{ field: 'email' }] });
    const weak = await t.request({
      method: 'POST',
      url: '/api/users',
      as: admin,
      payload: { email: 'x@staff.test', password: 'short', role: 'agent' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ errors: [{ field: 'password' }] });

    const id = created.json<{ id: string }>().id;
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'new.agent@staff.test', password: 'long-enough-pass' },
    });
    const crm_session = login.cookies.find((c) => c.name === 'crm_session')!.value;
    const promoted = await t.request({
      method: 'PATCH',
      url: `/api/users/${id}`,
      as: admin,
      payload: { role: 'manager' },
    });
    expect(promoted.json()).toMatchObject({ role: 'manager' });
    expect(
      (await t.request({ method: 'GET', url: '/api/auth/me', cookies: { crm_session } })).json(),
    ).toMatchObject({ role: 'manager' });
    await t.request({ method: 'PATCH', url: `/api/users/${id}`, as: admin, payload: { disabled: true } });
    expect(
      (await t.request({ method: 'GET', url: '/api/auth/me', cookies: { crm_session } })).statusCode,
    ).toBe(401);
    const relogin = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'new.agent@staff.test', password: 'long-enough-pass' },
    });
    expect(relogin.statusCode).toBe(401);

    const manager = await t.staff('manager');
    expect(
      (
        await t.request({
          method: 'POST',
          url: '/api/users',
          as: manager,
          payload: { email: 'y@staff.test', password: 'long-enough-pass', role: 'admin' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('an administrator cannot remove their own admin access', async () => {
    const res = await t.request({
      method: 'PATCH',
      url: `/api/users/${admin.id}`,
      as: admin,
      payload: { role: 'viewer' },
    });
    expect(res.statusCode).toBe(409);
  });
});

describe('email with a platform customer', () => {
  it('a sign-up gets a template email, opens it and replies; the thread, timeline and analytics show it', async () => {
    const peer = await startSmtpPeer();
    const secret = 'inbound-mail-secret-0123';
    const app = await createTestApp({
      mail: { ...testConfig().mail, smtpUrl: peer.url, webhookSecret: secret, machineSeconds: 0 },
      publicUrl: 'https://crm.shop.example',
    });
    try {
      const manager = await app.staff('manager');
      const email = `reader.${Date.now()}@example.com`;
      await sql`insert into auth.users (email, raw_user_meta_data)
                values (${email}, ${JSON.stringify({ full_name: 'Rita Reader' })}::jsonb)`.execute(
        app.database.db,
      );
      const list = await app.request({
        method: 'GET',
        url: `/api/crm/customers?q=${encodeURIComponent(email)}`,
        as: manager,
      });
      const customer = list.json<CustomerList>().data[0]!;
      expect(customer.email).toBe(email);

      const template = await app.request({
        method: 'POST',
        url: '/api/crm/email-templates',
        as: manager,
        payload: {
          name: 'Welcome',
          category: 'transactional',
          subject: 'Welcome, {{first_name}}',
          body_html: '<p>Hi {{first_name}}, <a href="https://shop.example/start">start here</a>.</p>',
          body_text: 'Hi {{first_name}}: https://shop.example/start',
        },
      });
      const sent = await app.request({
        method: 'POST',
        url: '/api/crm/communications/send',
        as: manager,
        payload: { customer_id: customer.id, template_id: template.json<{ id: string }>().id },
      });
      expect(sent.statusCode, sent.body).toBe(201);
      await app.app.workers.runner.runDue();
      const mail = peer.received.find((m) => m.envelope.to.includes(email))!;
      expect(mail.parsed.subject).toBe('Welcome, Rita');
      expect(mail.parsed.replyTo?.text).toMatch(/^reply\+[A-Za-z0-9_-]+@localhost$/);

      // the reader opens it (the pixel in what arrived) and answers from their mail client
      const pixel = String(mail.parsed.html).match(/src="https:\/\/crm\.shop\.example(\/t\/o\/[^"]+)"/)![1]!;
      expect(
        (
          await app.app.inject({
            method: 'GET',
            url: pixel,
            headers: { 'user-agent': 'Mozilla/5.0 (X11) Firefox/128.0' },
          })
        ).statusCode,
      ).toBe(200);
      const reply = [
        `From: Rita Reader <${email}>`,
        `To: ${mail.parsed.replyTo?.text}`,
        'Subject: Re: Welcome, Rita',
        `Message-ID: <reply-${Date.now()}@example.com>`,
        `In-Reply-To: ${mail.parsed.messageId}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Thanks! Where do I change my address?',
        '',
      ].join('\r\n');
      const ts = String(Math.floor(Date.now() / 1000));
      const inbound = await app.app.inject({
        method: 'POST',
        url: '/api/crm/communications/inbound',
        headers: {
          'content-type': 'message/rfc822',
          'x-crm-timestamp': ts,
          'x-crm-signature': signWebhook(secret, ts, reply),
        },
        payload: reply,
      });
      expect(inbound.statusCode, inbound.body).toBe(201);

      const threads = await app.request({
        method: 'GET',
        url: `/api/crm/communications/${customer.id}`,
        as: manager,
      });
      const [thread] = threads.json<ThreadList>().data;
      expect(thread!.messages.map((m) => [m.direction, m.status])).toEqual([
        ['outbound', 'replied'],
        ['inbound', 'received'],
      ]);
      expect(thread!.messages[0]!.opened_at).not.toBeNull();
      expect(thread!.messages[1]!.body_text).toContain('Where do I change my address?');

      const timeline = await app.request({
        method: 'GET',
        url: `/api/crm/customers/${customer.id}/timeline`,
        as: manager,
      });
      const kinds = timeline.json<{ data: { kind: string }[] }>().data.map((e) => e.kind);
      expect(kinds).toEqual(
        expect.arrayContaining([
          'signed_up',
          'email_sent',
          'email_opened',
          'email_replied',
          'email_received',
        ]),
      );

      const analytics = await app.request({
        method: 'GET',
        url: '/api/crm/communications/analytics',
        as: manager,
      });
      expect(
        analytics.json<{ totals: { sent: number; opened: number; replied: number } }>().totals,
      ).toMatchObject({
        sent: 1,
        opened: 1,
        replied: 1,
      });
    } finally {
      await app.close();
      await peer.close();
    }
  });
});

describe('exports and privacy with platform customers', () => {
  it('a segment of buyers is exported as CSV and read back; a download is audited; an erased person cannot sign up as a lead again', async () => {
    const tag = `exp${Date.now()}`;
    const emails = [0, 1, 2].map((i) => `${tag}-${i}@example.com`);
    for (const email of emails)
      await signUp(email, { first_name: 'Platform', last_name: email.split('@')[0] });
    const buyers = await Promise.all(emails.map((e) => findByEmail(e)));
    for (const [i, b] of buyers.entries()) {
      await makeOrder(t, admin, b!.id, { items: [{ sku: `EXP-${i}`, quantity: i + 1, unit_price: 10 }] });
    }
    const segment = await t.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: {
        name: `Buyers ${tag}`,
        auto_update: true,
        criteria: { match: 'all', rules: [{ field: 'email', op: 'contains', value: tag }] },
      },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const manager = await t.staff('manager');
    const started = await t.request({
      method: 'POST',
      url: '/api/crm/export/customers',
      as: manager,
      payload: {
        format: 'csv',
        fields: ['email', 'total_orders', 'lifetime_value'],
        selection: { segment_id: segment.json<{ id: string }>().id },
      },
    });
    expect(started.statusCode, started.body).toBe(202);
    const exportId = started.json<{ id: string }>().id;
    await t.app.workers.runner.runDue();
    const file = await t.request({ method: 'GET', url: `/api/crm/export/download/${exportId}`, as: manager });
    expect(file.statusCode).toBe(200);
    const { parse } = await import('csv-parse/sync');
    const rows = (parse(file.rawPayload, { columns: true }) as Record<string, string>[]).sort((a, b) =>
      a.Email!.localeCompare(b.Email!),
    );
    expect(rows).toEqual(
      emails.map((email, i) => ({ Email: email, Orders: '1', 'Lifetime value': (10 * (i + 1)).toFixed(2) })),
    );
    const audit = await t.request({
      method: 'GET',
      url: `/api/crm/audit?subject_type=export&subject_id=${exportId}`,
      as: admin,
    });
    expect(audit.json<{ data: { action: string }[] }>().data.map((e) => e.action)).toEqual([
      'export.downloaded',
      'export.completed',
      'export.requested',
    ]);

    const erased = await t.request({
      method: 'POST',
      url: `/api/crm/customers/${buyers[0]!.id}/erase`,
      as: admin,
      payload: { confirm: 'ERASE' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    const after = await t.request({ method: 'GET', url: `/api/crm/customers/${buyers[0]!.id}`, as: admin });
    expect(after.json<Customer>()).toMatchObject({ lifetime_value: 10, total_orders: 1, email: null });
    await signUp(emails[0]!.toUpperCase());
    expect(await findByEmail(emails[0]!)).toBeUndefined();
  });
});

describe('order integration and the complete customer view', () => {
  it('ingests an order system’s history, fits the customer-value model, and shows value, patterns and what to sell next', async () => {
    // three customers of an external shop, each with a history of monthly or occasional orders
    const day = (months: number, d = 3) => new Date(Date.UTC(2026, 10 - months, d, 10)).toISOString();
    const history = [
      ...[11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((m) => ({ who: 'monthly', m, sku: 'BEANS', price: 20 })),
      ...[11, 6, 1].map((m) => ({ who: 'sometimes', m, sku: 'BEANS', price: 20 })),
      ...[10].map((m) => ({ who: 'once', m, sku: 'GRINDER', price: 90 })),
    ];
    const lines = history.map((h, i) =>
      JSON.stringify({
        external_id: `shop-${i}`,
        customer_email: `${h.who}.integration@example.test`,
        placed_at: day(h.m),
        items: [
          {
            sku: h.sku,
            name: h.sku === 'BEANS' ? 'Coffee beans' : 'Grinder',
            category: 'coffee',
            quantity: 1,
            unit_price: h.price,
          },
          ...(h.m % 2 === 0
            ? [{ sku: 'FILTERS', name: 'Paper filters', category: 'coffee', quantity: 1, unit_price: 4 }]
            : []),
        ],
      }),
    );
    const ingested = await t.request({
      method: 'POST',
      url: '/api/orders/ingest',
      as: admin,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: lines.join('\n'),
    });
    expect(ingested.statusCode, ingested.body).toBe(200);
    expect(ingested.json()).toMatchObject({ accepted: history.length, rejected: 0, customers_created: 3 });
    const ids = Object.fromEntries(
      ingested
        .json<{ results: { customer_id: string }[] }>()
        .results.map((r, i) => [history[i]!.who, r.customer_id]),
    ) as Record<string, string>;

    // the same history again changes nothing
    const again = await t.request({
      method: 'POST',
      url: '/api/orders/ingest',
      as: admin,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: lines.join('\n'),
    });
    expect(again.json()).toMatchObject({ accepted: 0, unchanged: history.length });

    const fit = await t.request({
      method: 'POST',
      url: '/api/crm/analytics/clv/fit',
      as: admin,
      payload: {},
    });
    expect(fit.statusCode, fit.body).toBe(200);

    const monthly = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${ids.monthly}`, as: admin })
    ).json<Customer>();
    const once = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${ids.once}`, as: admin })
    ).json<Customer>();
    expect(monthly.total_orders).toBe(11);
    expect(monthly.customer_value).toBeGreaterThan(once.customer_value);

    const insights = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${ids.monthly}/insights`, as: admin })
    ).json<{
      orders: number;
      median_days_between_orders: number;
      prediction: { p_alive: number; reasons: string[] } | null;
    }>();
    expect(insights.orders).toBe(11);
    expect(insights.median_days_between_orders).toBeGreaterThanOrEqual(28);
    expect(insights.median_days_between_orders).toBeLessThanOrEqual(31);
    expect(insights.prediction?.p_alive).toBeGreaterThan(0.5);
    expect(insights.prediction?.reasons.length).toBeGreaterThan(0);

    // the one-time grinder buyer is offered what the others buy with it
    const recommended = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${ids.once}/recommendations`, as: admin })
    ).json<{ data: { sku: string; reason: string }[] }>();
    expect(recommended.data.map((r) => r.sku)).toContain('BEANS');
    expect(recommended.data.map((r) => r.sku)).not.toContain('GRINDER');

    const cohorts = (
      await t.request({ method: 'GET', url: '/api/crm/analytics/cohorts?months=12', as: admin })
    ).json<{
      cohorts: { cohort: string; customers: number }[];
    }>();
    const first = cohorts.cohorts.find((c) => c.cohort === day(11).slice(0, 7));
    expect(first?.customers).toBeGreaterThanOrEqual(2);
  });
});
