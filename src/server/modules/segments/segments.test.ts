import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerList, TimelineEvent } from '../../../shared/customers.js';
import type { Problem } from '../../../shared/problem.js';
import type { Tag } from '../../../shared/tags.js';
import type {
  Segment,
  SegmentList,
  SegmentMembershipChange,
  SegmentPreview,
} from '../../../shared/segments.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Segments over HTTP: CRUD, validation, permissions, preview, members, automatic refresh. */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;
let agent: StaffHandle;
let viewer: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  agent = await t.staff('agent');
  viewer = await t.staff('viewer');
});
afterAll(() => t?.close());

async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  as: StaffHandle = admin,
  payload?: Record<string, unknown>,
) {
  const res = await t.request({ method, url, as, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T & Problem>(), raw: res.body };
}

async function makeSegment(body: Record<string, unknown>): Promise<Segment> {
  const { status, body: segment, raw } = await call<Segment>('POST', '/api/crm/segments', manager, body);
  expect(status, raw).toBe(201);
  return segment;
}

const companyIs = (company: string, extra: Record<string, unknown>[] = []) => ({
  match: 'all',
  rules: [{ field: 'company', op: 'eq', value: company }, ...extra],
});

const members = (id: string, query = '') =>
  call<CustomerList>('GET', `/api/crm/segments/${id}/customers${query}`, viewer);

const changeMembers = (method: 'POST' | 'DELETE', id: string, customer_ids: string[]) =>
  call<SegmentMembershipChange>(method, `/api/crm/segments/${id}/members`, manager, { customer_ids });

async function memberIds(id: string): Promise<string[]> {
  const { status, body } = await members(id, '?limit=200');
  expect(status).toBe(200);
  return body.data.map((c) => c.id).sort();
}

async function realCount(id: string): Promise<number> {
  const r = await sql<{ n: string | number }>`
    select count(*) as n from segment_members where segment_id = ${id}`.execute(t.database.db);
  return Number(r.rows[0]?.n);
}

async function timeline(id: string) {
  const { body } = await call<{ data: TimelineEvent[] }>(
    'GET',
    `/api/crm/customers/${id}/timeline?kind=segment_entered,segment_left`,
  );
  return body.data;
}

describe('segment CRUD', () => {
  it('creates, lists, reads, updates and deletes a manual segment', async () => {
    const s = await makeSegment({ name: '  Newsletter  ', description: 'Hand picked', auto_update: false });
    expect(s).toMatchObject({
      name: 'Newsletter',
      description: 'Hand picked',
      auto_update: false,
      criteria: null,
      customer_count: 0,
      version: 1,
    });
    const list = await call<SegmentList>('GET', '/api/crm/segments', viewer);
    expect(list.status).toBe(200);
    expect(list.body.data.map((x) => x.id)).toContain(s.id);
    const one = await call<Segment>('GET', `/api/crm/segments/${s.id}`, viewer);
    expect(one.body).toEqual(s);

    const upd = await call<Segment>('PUT', `/api/crm/segments/${s.id}`, admin, {
      name: 'Newsletter readers',
      auto_update: false,
      version: 1,
    });
    expect(upd.status, upd.raw).toBe(200);
    expect(upd.body).toMatchObject({ name: 'Newsletter readers', description: null, version: 2 });

    const del = await call<Segment>('DELETE', `/api/crm/segments/${s.id}`, manager);
    expect(del.status).toBe(200);
    expect((await call('GET', `/api/crm/segments/${s.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/crm/segments/${s.id}`)).status).toBe(404);
  });

  it('names the field of every invalid value', async () => {
    const noCriteria = await call('POST', '/api/crm/segments', admin, { name: 'Auto', auto_update: true });
    expect(noCriteria.status).toBe(400);
    expect(noCriteria.body.errors?.map((e) => e.field)).toContain('criteria');

    const badField = await call('POST', '/api/crm/segments', admin, {
      name: 'Bad',
      auto_update: true,
      criteria: { match: 'all', rules: [{ field: 'nope', op: 'eq', value: 1 }] },
    });
    expect(badField.status).toBe(400);
    expect(badField.body.errors?.map((e) => e.field)).toContain('criteria.rules[0].field');

    const badName = await call('POST', '/api/crm/segments', admin, { name: 'n'.repeat(101) });
    expect(badName.status).toBe(400);
    expect(badName.body.errors?.[0]?.field).toBe('name');

    const badPreview = await call('POST', '/api/crm/segments/preview', viewer, {
      criteria: { match: 'all', rules: [{ field: 'nope', op: 'eq', value: 1 }] },
    });
    expect(badPreview.status).toBe(400);
    expect(badPreview.body.errors?.map((e) => e.field)).toContain('criteria.rules[0].field');

    const tooMany = await call(
      'POST',
      '/api/crm/segments/00000000-0000-4000-8000-000000000000/members',
      admin,
      {
        customer_ids: Array.from({ length: 1001 }, () => '00000000-0000-4000-8000-000000000000'),
      },
    );
    expect(tooMany.status).toBe(400);
    expect((await call('GET', '/api/crm/segments/nope')).status).toBe(400);
  });

  it('refuses a duplicate name, case-insensitively, on create and update', async () => {
    await makeSegment({ name: 'Wholesale', auto_update: false });
    const dupe = await call('POST', '/api/crm/segments', admin, { name: 'wholesale ' });
    expect(dupe.status).toBe(409);
    expect(dupe.body.errors).toEqual([{ field: 'name', message: 'Another segment already has this name' }]);
    const other = await makeSegment({ name: 'Retail' });
    const rename = await call('PUT', `/api/crm/segments/${other.id}`, admin, {
      name: 'WHOLESALE',
      version: other.version,
    });
    expect(rename.status).toBe(409);
    expect(rename.body.errors?.[0]?.field).toBe('name');
  });

  it('refuses a stale version with the current segment', async () => {
    const s = await makeSegment({ name: 'Versioned' });
    const first = await call<Segment>('PUT', `/api/crm/segments/${s.id}`, admin, {
      name: 'Versioned 2',
      version: 1,
    });
    expect(first.status).toBe(200);
    const stale = await call<Problem & { current: Segment }>('PUT', `/api/crm/segments/${s.id}`, manager, {
      name: 'Versioned 3',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ name: 'Versioned 2', version: 2 });
    expect((await call<Segment>('GET', `/api/crm/segments/${s.id}`)).body.name).toBe('Versioned 2');
  });

  it('lets admins and managers manage segments, and everyone who reads customers see them', async () => {
    const s = await makeSegment({ name: 'Managed' });
    for (const as of [agent, viewer]) {
      expect((await call('POST', '/api/crm/segments', as, { name: `by ${as.role}` })).status).toBe(403);
      expect((await call('PUT', `/api/crm/segments/${s.id}`, as, { name: 'x', version: 1 })).status).toBe(
        403,
      );
      expect((await call('DELETE', `/api/crm/segments/${s.id}`, as)).status).toBe(403);
      expect((await call('POST', `/api/crm/segments/${s.id}/refresh`, as)).status).toBe(403);
      expect(
        (await call('POST', `/api/crm/segments/${s.id}/members`, as, { customer_ids: [s.id] })).status,
      ).toBe(403);
      expect((await call('GET', `/api/crm/segments/${s.id}`, as)).status).toBe(200);
      expect((await call('GET', `/api/crm/segments/${s.id}/customers`, as)).status).toBe(200);
    }
    expect((await call('POST', '/api/crm/segments', admin, { name: 'By admin' })).status).toBe(201);
    expect((await t.request({ method: 'GET', url: '/api/crm/segments' })).statusCode).toBe(401);
  });
});

describe('preview', () => {
  it('counts exactly what SQL counts and returns a sample of at most 10', async () => {
    for (let i = 0; i < 12; i++) await makeCustomer(t, admin, { company: 'Preview Co' });
    await makeCustomer(t, admin, { company: 'Elsewhere Co' });
    const criteria = companyIs('Preview Co');
    const { status, body, raw } = await call<SegmentPreview>('POST', '/api/crm/segments/preview', viewer, {
      criteria,
    });
    expect(status, raw).toBe(200);
    const direct = await sql<{ n: string | number }>`
      select count(*) as n from customers where company = 'Preview Co'`.execute(t.database.db);
    expect(body.count).toBe(Number(direct.rows[0]?.n));
    expect(body.count).toBe(12);
    expect(body.count_exact).toBe(true);
    expect(body.sample).toHaveLength(10);
    expect(body.sample.every((c) => c.company === 'Preview Co')).toBe(true);
  });
});

describe('manual segments', () => {
  it('adds and removes members by hand, keeps the count real and pages members', async () => {
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await makeCustomer(t, admin, { company: 'Manual Co' }));
    const ids = people.map((p) => p.id);
    const s = await makeSegment({ name: 'Hand picked' });

    const add = await changeMembers('POST', s.id, [...ids, ids[0]!]);
    expect(add.status, add.raw).toBe(200);
    expect(add.body).toEqual({ added: 5, removed: 0, customer_count: 5 });
    const again = await changeMembers('POST', s.id, ids.slice(0, 2));
    expect(again.body).toEqual({ added: 0, removed: 0, customer_count: 5 });

    const page1 = await members(s.id, '?limit=2&sort=last_name&order=asc');
    expect(page1.status).toBe(200);
    expect(page1.body.total).toBe(5);
    expect(page1.body.data).toHaveLength(2);
    const page2 = await members(s.id, `?limit=2&sort=last_name&order=asc&cursor=${page1.body.next_cursor}`);
    const page3 = await members(s.id, `?limit=2&sort=last_name&order=asc&cursor=${page2.body.next_cursor}`);
    expect(page3.body.next_cursor).toBeNull();
    const paged = [...page1.body.data, ...page2.body.data, ...page3.body.data].map((c) => c.id);
    expect(paged.sort()).toEqual([...ids].sort());

    const remove = await changeMembers('DELETE', s.id, [ids[0]!, ids[1]!]);
    expect(remove.body).toEqual({ added: 0, removed: 2, customer_count: 3 });
    expect(await memberIds(s.id)).toEqual(ids.slice(2).sort());
    expect((await call<Segment>('GET', `/api/crm/segments/${s.id}`)).body.customer_count).toBe(3);
    expect(await realCount(s.id)).toBe(3);

    const profile = (await call<Customer>('GET', `/api/crm/customers/${ids[2]}`)).body;
    expect(profile.segments).toEqual([{ id: s.id, name: 'Hand picked' }]);
    const gone = (await call<Customer>('GET', `/api/crm/customers/${ids[0]}`)).body;
    expect(gone.segments).toEqual([]);
    expect((await timeline(ids[0]!)).map((e) => e.kind)).toEqual(['segment_left', 'segment_entered']);

    const unknown = await changeMembers('POST', s.id, ['00000000-0000-4000-8000-000000000000']);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.field).toBe('customer_ids[0]');
    expect((await call('POST', `/api/crm/segments/${s.id}/refresh`, manager)).status).toBe(409);

    const del = await call<Segment>('DELETE', `/api/crm/segments/${s.id}`, manager);
    expect(del.body.customer_count).toBe(3);
    expect(await realCount(s.id)).toBe(0);
    expect((await timeline(ids[2]!))[0]?.kind).toBe('segment_left');
  });
});

describe('automatic segments', () => {
  it('computes members on create, and refresh follows data changes with timeline events', async () => {
    const a = await makeCustomer(t, admin, { company: 'Auto Co' });
    const b = await makeCustomer(t, admin, { company: 'Auto Co' });
    await makeCustomer(t, admin, { company: 'Other Auto Co' });
    const tag = await call<Tag>('POST', '/api/crm/tags', manager, { name: 'auto-vip' });
    expect(tag.status).toBe(201);
    await call('POST', `/api/crm/customers/${a.id}/tags`, admin, { names: ['auto-vip'] });

    const s = await makeSegment({
      name: 'Auto VIPs',
      auto_update: true,
      criteria: companyIs('Auto Co', [{ field: 'tags', op: 'has_any', value: ['auto-vip'] }]),
    });
    expect(s.customer_count).toBe(1);
    expect(s.criteria).toMatchObject({ match: 'all' });
    expect(await memberIds(s.id)).toEqual([a.id]);
    expect((await timeline(a.id)).map((e) => e.kind)).toEqual(['segment_entered']);

    // manual changes are refused
    expect((await changeMembers('POST', s.id, [b.id])).status).toBe(409);
    expect((await changeMembers('DELETE', s.id, [a.id])).status).toBe(409);

    // b gets the tag, a loses it: refresh swaps them
    await call('POST', `/api/crm/customers/${b.id}/tags`, admin, { names: ['auto-vip'] });
    await call('DELETE', `/api/crm/customers/${a.id}/tags/${tag.body.id}`, admin);
    const refreshed = await call<SegmentMembershipChange>(
      'POST',
      `/api/crm/segments/${s.id}/refresh`,
      manager,
    );
    expect(refreshed.status, refreshed.raw).toBe(200);
    expect(refreshed.body).toEqual({ added: 1, removed: 1, customer_count: 1 });
    expect(await memberIds(s.id)).toEqual([b.id]);
    expect((await timeline(a.id)).map((e) => e.kind)).toEqual(['segment_left', 'segment_entered']);
    expect((await timeline(b.id)).map((e) => e.kind)).toEqual(['segment_entered']);

    // a refresh with nothing changed changes nothing
    const idle = await call<SegmentMembershipChange>('POST', `/api/crm/segments/${s.id}/refresh`, manager);
    expect(idle.body).toEqual({ added: 0, removed: 0, customer_count: 1 });
    expect(await realCount(s.id)).toBe(1);
  });

  it('follows orders, and an update recomputes at once', async () => {
    const buyer = await makeCustomer(t, admin, { company: 'Order Co' });
    const idle = await makeCustomer(t, admin, { company: 'Order Co' });
    const s = await makeSegment({
      name: 'Order Co buyers',
      auto_update: true,
      criteria: companyIs('Order Co', [{ field: 'total_orders', op: 'gte', value: 1 }]),
    });
    expect(s.customer_count).toBe(0);
    await makeOrder(t, admin, buyer.id);
    const refreshed = await call<SegmentMembershipChange>('POST', `/api/crm/segments/${s.id}/refresh`, admin);
    expect(refreshed.body).toEqual({ added: 1, removed: 0, customer_count: 1 });
    expect(await memberIds(s.id)).toEqual([buyer.id]);
    const events = await timeline(buyer.id);
    expect(events[0]).toMatchObject({ kind: 'segment_entered', data: { segment_id: s.id } });

    // widening the criteria brings the idle customer in at once
    const upd = await call<Segment>('PUT', `/api/crm/segments/${s.id}`, manager, {
      name: 'Order Co everyone',
      auto_update: true,
      criteria: companyIs('Order Co'),
      version: s.version,
    });
    expect(upd.status, upd.raw).toBe(200);
    expect(upd.body.customer_count).toBe(2);
    expect(await memberIds(s.id)).toEqual([buyer.id, idle.id].sort());
    expect(await realCount(s.id)).toBe(2);
    const list = await members(s.id);
    expect(list.body.total).toBe(2);
  });

  it('reads owner = me as the segment creator, whoever refreshes it', async () => {
    const mine = await makeCustomer(t, admin, { company: 'Owner Co', owner_id: manager.id });
    await makeCustomer(t, admin, { company: 'Owner Co', owner_id: admin.id });
    const s = await makeSegment({
      name: 'Manager accounts',
      auto_update: true,
      criteria: companyIs('Owner Co', [{ field: 'owner', op: 'eq', value: 'me' }]),
    });
    expect(await memberIds(s.id)).toEqual([mine.id]);
    const refreshed = await call<SegmentMembershipChange>('POST', `/api/crm/segments/${s.id}/refresh`, admin);
    expect(refreshed.body).toEqual({ added: 0, removed: 0, customer_count: 1 });
    expect(await memberIds(s.id)).toEqual([mine.id]);
  });
});
