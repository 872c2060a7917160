import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, TimelineEvent } from '../../../shared/customers.js';
import type { Problem } from '../../../shared/problem.js';
import type { CustomerTags, Tag, TagList } from '../../../shared/tags.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Tags over HTTP: CRUD, validation, permissions, tagging customers and what the profile shows. */
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

async function makeTag(name: string, extra: Record<string, unknown> = {}): Promise<Tag> {
  const { status, body, raw } = await call<Tag>('POST', '/api/crm/tags', manager, { name, ...extra });
  expect(status, raw).toBe(201);
  return body;
}

async function listTags(as: StaffHandle = admin): Promise<Tag[]> {
  const { status, body } = await call<TagList>('GET', '/api/crm/tags', as);
  expect(status).toBe(200);
  return body.data;
}

const tagOf = async (id: string) => (await listTags()).find((tag) => tag.id === id);
const profile = async (id: string, as: StaffHandle = admin) =>
  (await call<Customer>('GET', `/api/crm/customers/${id}`, as)).body;

async function timeline(id: string, kinds = 'tag_added,tag_removed') {
  const { body } = await call<{ data: TimelineEvent[] }>(
    'GET',
    `/api/crm/customers/${id}/timeline?kind=${kinds}`,
  );
  return body.data;
}

const tagCustomer = (id: string, payload: Record<string, unknown>, as: StaffHandle = agent) =>
  call<CustomerTags>('POST', `/api/crm/customers/${id}/tags`, as, payload);

const names = (tags: { name: string }[]) => tags.map((tag) => tag.name);

describe('tag CRUD', () => {
  it('creates, lists (by name, with counts), updates and reads a tag', async () => {
    const vip = await makeTag('  VIP Gold  ', { color: '#FFD43B', description: 'Top spenders' });
    expect(vip).toMatchObject({
      name: 'VIP Gold',
      color: '#ffd43b',
      description: 'Top spenders',
      created_by: manager.id,
      customer_count: 0,
    });
    const plain = await makeTag('aardvark');
    expect(plain).toMatchObject({ color: '#868e96', description: null });

    const listed = await listTags(viewer);
    expect(names(listed).indexOf('aardvark')).toBeLessThan(names(listed).indexOf('VIP Gold'));

    const { status, body } = await call<Tag>('PUT', `/api/crm/tags/${vip.id}`, admin, {
      name: 'VIP',
      description: '',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'VIP', color: '#ffd43b', description: null });
    expect(Date.parse(body.updated_at)).toBeGreaterThanOrEqual(Date.parse(vip.updated_at));
  });

  it('names the field of every invalid value', async () => {
    const bad = await call('POST', '/api/crm/tags', admin, {
      name: ' ',
      color: 'red',
      description: 'x'.repeat(501),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'Name is required' },
        { field: 'color', message: 'Use a hex colour such as #228be6' },
        { field: 'description', message: 'Description must be at most 500 characters' },
      ]),
    );
    const long = await call('POST', '/api/crm/tags', admin, { name: 'n'.repeat(51) });
    expect(long.body.errors).toEqual([{ field: 'name', message: 'Name must be at most 50 characters' }]);
    const short = await call('POST', '/api/crm/tags', admin, { name: 'ok', color: '#fff' });
    expect(short.body.errors?.[0]?.field).toBe('color');
    const missing = await call('PUT', '/api/crm/tags/00000000-0000-4000-8000-000000000000', admin, {
      name: 'x',
    });
    expect(missing.status).toBe(404);
    const badId = await call('PUT', '/api/crm/tags/nope', admin, { name: 'x' });
    expect(badId.status).toBe(400);
  });

  it('refuses a duplicate name, case-insensitively, on create and rename', async () => {
    await makeTag('Wholesale');
    const dupe = await call('POST', '/api/crm/tags', admin, { name: 'wholesale ' });
    expect(dupe.status).toBe(409);
    expect(dupe.body.errors).toEqual([{ field: 'name', message: 'Another tag already has this name' }]);
    const other = await makeTag('Retail');
    const rename = await call('PUT', `/api/crm/tags/${other.id}`, admin, { name: 'WHOLESALE' });
    expect(rename.status).toBe(409);
    expect(rename.body.errors?.[0]?.field).toBe('name');
    // renaming a tag to a different casing of its own name is fine
    const recase = await call<Tag>('PUT', `/api/crm/tags/${other.id}`, admin, { name: 'RETAIL' });
    expect(recase.status).toBe(200);
    expect(recase.body.name).toBe('RETAIL');
  });

  it('lets admins and managers manage tags, and everyone who reads customers list them', async () => {
    for (const as of [agent, viewer]) {
      expect((await call('POST', '/api/crm/tags', as, { name: `by ${as.role}` })).status).toBe(403);
    }
    const tag = await makeTag('Managed');
    expect((await call('PUT', `/api/crm/tags/${tag.id}`, agent, { name: 'x' })).status).toBe(403);
    expect((await call('DELETE', `/api/crm/tags/${tag.id}`, agent)).status).toBe(403);
    expect((await call('POST', '/api/crm/tags', admin, { name: 'By admin' })).status).toBe(201);
    expect((await call('GET', '/api/crm/tags', viewer)).status).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/crm/tags' })).statusCode).toBe(401);
  });
});

describe('tagging a customer', () => {
  let customer: Customer;
  let vip: Tag;
  let coffee: Tag;
  beforeAll(async () => {
    customer = await makeCustomer(t, admin);
    vip = await makeTag('Loyal VIP', { color: '#e64980' });
    coffee = await makeTag('Coffee lover', { color: '#74c0fc' });
  });

  it('adds tags by id and by name, idempotently, with one timeline event per new tag', async () => {
    const first = await tagCustomer(customer.id, { tag_ids: [vip.id] });
    expect(first.status, first.raw).toBe(200);
    expect(first.body.data).toEqual([{ id: vip.id, name: 'Loyal VIP', color: '#e64980' }]);

    const again = await tagCustomer(customer.id, { tag_ids: [vip.id], names: ['COFFEE LOVER', 'loyal vip'] });
    expect(again.status).toBe(200);
    expect(names(again.body.data)).toEqual(['Coffee lover', 'Loyal VIP']);
    const repeat = await tagCustomer(customer.id, { names: ['coffee lover'] });
    expect(names(repeat.body.data)).toEqual(['Coffee lover', 'Loyal VIP']);

    const events = await timeline(customer.id);
    expect(events.map((e) => [e.kind, e.summary])).toEqual([
      ['tag_added', 'Tagged Coffee lover'],
      ['tag_added', 'Tagged Loyal VIP'],
    ]);
    expect(events[0]).toMatchObject({
      actor: { id: agent.id },
      data: { tag_id: coffee.id, tag_name: 'Coffee lover', color: '#74c0fc' },
    });
    expect((await tagOf(vip.id))?.customer_count).toBe(1);
  });

  it('shows the tags on the profile, to every role', async () => {
    for (const as of [admin, viewer]) {
      expect((await profile(customer.id, as)).tags).toEqual([
        { id: coffee.id, name: 'Coffee lover', color: '#74c0fc' },
        { id: vip.id, name: 'Loyal VIP', color: '#e64980' },
      ]);
    }
  });

  it('refuses unknown tags, naming the entry, and changes nothing', async () => {
    const before = (await profile(customer.id)).tags;
    const unknownName = await tagCustomer(customer.id, {
      tag_ids: [vip.id],
      names: ['coffee lover', 'Nope'],
    });
    expect(unknownName.status).toBe(400);
    expect(unknownName.body.errors).toEqual([{ field: 'names[1]', message: 'No tag named "Nope"' }]);
    const unknownId = await tagCustomer(customer.id, {
      tag_ids: [vip.id, '00000000-0000-4000-8000-000000000000'],
    });
    expect(unknownId.status).toBe(400);
    expect(unknownId.body.errors).toEqual([{ field: 'tag_ids[1]', message: 'No tag has this id' }]);
    const empty = await tagCustomer(customer.id, {});
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0]?.field).toBe('tag_ids');
    const blank = await tagCustomer(customer.id, { names: ['  '] });
    expect(blank.body.errors?.[0]?.field).toBe('names[0]');
    expect((await profile(customer.id)).tags).toEqual(before);
  });

  it('creates missing tags only when asked and allowed', async () => {
    const agentTries = await tagCustomer(customer.id, { names: ['Brand new'], create_missing: true });
    expect(agentTries.status).toBe(403);
    expect((await listTags()).some((tag) => tag.name === 'Brand new')).toBe(false);

    const created = await tagCustomer(
      customer.id,
      { names: ['Brand new', 'brand NEW', 'Loyal VIP'], create_missing: true },
      manager,
    );
    expect(created.status, created.raw).toBe(200);
    expect(names(created.body.data)).toEqual(['Brand new', 'Coffee lover', 'Loyal VIP']);
    const tag = (await listTags()).find((x) => x.name === 'Brand new');
    expect(tag).toMatchObject({ color: '#868e96', created_by: manager.id, customer_count: 1 });
    expect((await timeline(customer.id))[0]).toMatchObject({
      kind: 'tag_added',
      summary: 'Tagged Brand new',
    });
  });

  it('needs customers:write to tag, and an existing customer', async () => {
    expect((await tagCustomer(customer.id, { tag_ids: [vip.id] }, viewer)).status).toBe(403);
    const ghost = await tagCustomer('00000000-0000-4000-8000-000000000000', { tag_ids: [vip.id] });
    expect(ghost.status).toBe(404);
    expect((await call('DELETE', `/api/crm/customers/${customer.id}/tags/${vip.id}`, viewer)).status).toBe(
      403,
    );
  });

  it('removes a tag, with a timeline event; removing it again is a 404', async () => {
    const removed = await call<CustomerTags>(
      'DELETE',
      `/api/crm/customers/${customer.id}/tags/${coffee.id}`,
      agent,
    );
    expect(removed.status).toBe(200);
    expect(names(removed.body.data)).toEqual(['Brand new', 'Loyal VIP']);
    expect((await timeline(customer.id))[0]).toMatchObject({
      kind: 'tag_removed',
      summary: 'Untagged Coffee lover',
      actor: { id: agent.id },
    });
    const again = await call('DELETE', `/api/crm/customers/${customer.id}/tags/${coffee.id}`, agent);
    expect(again.status).toBe(404);
    const unknownTag = await call(
      'DELETE',
      `/api/crm/customers/${customer.id}/tags/00000000-0000-4000-8000-000000000000`,
      agent,
    );
    expect(unknownTag.status).toBe(404);
    expect(names((await profile(customer.id)).tags)).toEqual(['Brand new', 'Loyal VIP']);
  });
});

describe('deleting a tag', () => {
  it('untags every customer that had it, each with a timeline event, and reports how many', async () => {
    const doomed = await makeTag('Doomed');
    const keep = await makeTag('Keeper');
    const a = await makeCustomer(t, admin);
    const b = await makeCustomer(t, admin);
    const c = await makeCustomer(t, admin);
    for (const customer of [a, b]) await tagCustomer(customer.id, { tag_ids: [doomed.id, keep.id] });
    await tagCustomer(c.id, { tag_ids: [keep.id] });
    expect((await tagOf(doomed.id))?.customer_count).toBe(2);

    const deleted = await call<Tag>('DELETE', `/api/crm/tags/${doomed.id}`, manager);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: doomed.id, name: 'Doomed', customer_count: 2 });
    expect(await tagOf(doomed.id)).toBeUndefined();
    expect((await tagOf(keep.id))?.customer_count).toBe(3);
    for (const customer of [a, b]) {
      expect(names((await profile(customer.id)).tags)).toEqual(['Keeper']);
      expect((await timeline(customer.id, 'tag_removed'))[0]).toMatchObject({
        summary: 'Untagged Doomed (tag deleted)',
        actor: { id: manager.id },
        data: { tag_id: doomed.id, tag_deleted: true },
      });
    }
    expect(await timeline(c.id, 'tag_removed')).toEqual([]);
    expect((await call('DELETE', `/api/crm/tags/${doomed.id}`, manager)).status).toBe(404);
    // the name is free again
    expect((await makeTag('doomed')).customer_count).toBe(0);
  });
});
