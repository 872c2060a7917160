import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkResult } from '../../../shared/bulk.js';
import type { Customer, TimelineEvent } from '../../../shared/customers.js';
import type { Job, JobAccepted } from '../../../shared/jobs.js';
import type { Problem } from '../../../shared/problem.js';
import type { Segment } from '../../../shared/segments.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** POST /api/crm/customers/bulk: selections, actions, permissions, bad input, background jobs. */
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

/** Any of the replies: a result, a job, or a problem. */
type BulkBody = Omit<BulkResult, 'status'> &
  Omit<JobAccepted, 'status'> &
  Omit<Problem, 'status'> & { status: string | number };

async function bulk(payload: object, as: StaffHandle = manager) {
  const res = await t.request({ method: 'POST', url: '/api/crm/customers/bulk', as, payload });
  return {
    status: res.statusCode,
    type: String(res.headers['content-type']),
    body: res.json<BulkBody>(),
    raw: res.body,
  };
}

async function tagNames(id: string, as: StaffHandle = admin): Promise<string[]> {
  const res = await t.request({ method: 'GET', url: `/api/crm/customers/${id}`, as });
  return res
    .json<Customer>()
    .tags.map((tag) => tag.name)
    .sort();
}

async function profile(id: string) {
  return (await t.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin })).json<Customer>();
}

async function timeline(id: string, kinds: string) {
  const res = await t.request({
    method: 'GET',
    url: `/api/crm/customers/${id}/timeline?kind=${kinds}`,
    as: admin,
  });
  return res.json<{ data: TimelineEvent[] }>().data;
}

describe('bulk actions on small selections', () => {
  it('tags hand-picked customers, creating a missing tag, and says how many changed', async () => {
    const a = await makeCustomer(t, admin, { company: 'Bulk Ids Co' });
    const b = await makeCustomer(t, admin, { company: 'Bulk Ids Co' });
    const other = await makeCustomer(t, admin, { company: 'Bulk Ids Co' });
    const existing = await t.request({
      method: 'POST',
      url: '/api/crm/tags',
      as: manager,
      payload: { name: 'Bulk existing', color: '#228be6' },
    });
    const res = await bulk({
      selection: { ids: [a.id, b.id] },
      action: { type: 'add_tags', tag_ids: [existing.json<{ id: string }>().id], tag_names: ['Bulk new'] },
    });
    expect(res.status, res.raw).toBe(200);
    expect(res.body).toEqual({ status: 'succeeded', selected: 2, changed: 2 });
    expect(await tagNames(a.id)).toEqual(['Bulk existing', 'Bulk new']);
    expect(await tagNames(other.id)).toEqual([]);
    const events = await timeline(a.id, 'tag_added');
    expect(events.map((e) => e.summary).sort()).toEqual(['Tagged Bulk existing', 'Tagged Bulk new']);
    expect(events[0]?.actor?.id).toBe(manager.id);

    // again: nothing changes
    const again = await bulk({
      selection: { ids: [a.id, b.id] },
      action: { type: 'add_tags', tag_names: ['bulk NEW'] },
    });
    expect(again.body).toEqual({ status: 'succeeded', selected: 2, changed: 0 });
  });

  it('removes tags from everyone matching criteria', async () => {
    const a = await makeCustomer(t, admin, { company: 'Bulk Criteria Co' });
    const b = await makeCustomer(t, admin, { company: 'Bulk Criteria Co' });
    const keep = await makeCustomer(t, admin, { company: 'Bulk Keep Co' });
    for (const c of [a, b, keep]) {
      await bulk({ selection: { ids: [c.id] }, action: { type: 'add_tags', tag_names: ['Bulk temp'] } });
    }
    const res = await bulk({
      selection: {
        criteria: { match: 'all', rules: [{ field: 'company', op: 'eq', value: 'Bulk Criteria Co' }] },
      },
      action: { type: 'remove_tags', tag_names: ['Bulk temp'] },
    });
    expect(res.body).toEqual({ status: 'succeeded', selected: 2, changed: 2 });
    expect(await tagNames(a.id)).toEqual([]);
    expect(await tagNames(keep.id)).toEqual(['Bulk temp']);
    expect((await timeline(a.id, 'tag_removed'))[0]?.summary).toBe('Untagged Bulk temp');
  });

  it("sets the status of what the list's filters match, with before and after on the timeline", async () => {
    const a = await makeCustomer(t, admin, { company: 'Bulk Filter Co', customer_status: 'prospect' });
    const b = await makeCustomer(t, admin, { company: 'Bulk Filter Co', customer_status: 'active' });
    const res = await bulk({
      selection: { filter: { q: 'bulk filter co' } },
      action: { type: 'set_status', status: 'active' },
    });
    expect(res.body).toEqual({ status: 'succeeded', selected: 2, changed: 1 });
    const after = await profile(a.id);
    expect(after.customer_status).toBe('active');
    expect(after.version).toBe(a.version + 1);
    expect((await profile(b.id)).version).toBe(b.version);
    const [event] = await timeline(a.id, 'profile_updated');
    expect(event?.data).toMatchObject({ changes: { customer_status: { from: 'prospect', to: 'active' } } });
  });

  it("sets and clears the owner of a segment's members", async () => {
    const a = await makeCustomer(t, admin, { company: 'Bulk Owner Co' });
    const seg = await t.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: manager,
      payload: {
        name: 'Bulk owner segment',
        auto_update: true,
        criteria: { match: 'all', rules: [{ field: 'company', op: 'eq', value: 'Bulk Owner Co' }] },
      },
    });
    const segment = seg.json<Segment>();
    const set = await bulk({
      selection: { segment_id: segment.id },
      action: { type: 'set_owner', owner_id: agent.id },
    });
    expect(set.body).toEqual({ status: 'succeeded', selected: 1, changed: 1 });
    expect((await profile(a.id)).owner?.id).toBe(agent.id);
    const cleared = await bulk({
      selection: { segment_id: segment.id },
      action: { type: 'set_owner', owner_id: null },
    });
    expect(cleared.body.changed).toBe(1);
    expect((await profile(a.id)).owner).toBeNull();
  });

  it('adds to and removes from a manual segment, keeping its count real; refuses an automatic one', async () => {
    const a = await makeCustomer(t, admin, { company: 'Bulk Members Co' });
    const b = await makeCustomer(t, admin, { company: 'Bulk Members Co' });
    const manual = (
      await t.request({
        method: 'POST',
        url: '/api/crm/segments',
        as: manager,
        payload: { name: 'Bulk manual' },
      })
    ).json<Segment>();
    const added = await bulk({
      selection: { ids: [a.id, b.id] },
      action: { type: 'add_to_segment', segment_id: manual.id },
    });
    expect(added.body).toEqual({ status: 'succeeded', selected: 2, changed: 2 });
    const seg = await t.request({ method: 'GET', url: `/api/crm/segments/${manual.id}`, as: admin });
    expect(seg.json<Segment>().customer_count).toBe(2);
    const removed = await bulk({
      selection: { ids: [a.id] },
      action: { type: 'remove_from_segment', segment_id: manual.id },
    });
    expect(removed.body.changed).toBe(1);
    expect((await timeline(a.id, 'segment_entered,segment_left')).map((e) => e.kind)).toEqual([
      'segment_left',
      'segment_entered',
    ]);

    const auto = (
      await t.request({
        method: 'POST',
        url: '/api/crm/segments',
        as: manager,
        payload: { name: 'Bulk auto', auto_update: true, criteria: { match: 'all', rules: [] } },
      })
    ).json<Segment>();
    const refused = await bulk({
      selection: { ids: [a.id] },
      action: { type: 'add_to_segment', segment_id: auto.id },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.errors?.[0]?.field).toBe('action.segment_id');
  });
});

describe('permissions and bad input', () => {
  it('needs customers:write, segments:manage for membership and tags:manage to create tags', async () => {
    const c = await makeCustomer(t, admin, { company: 'Bulk Perm Co' });
    const manual = (
      await t.request({
        method: 'POST',
        url: '/api/crm/segments',
        as: manager,
        payload: { name: 'Bulk perm' },
      })
    ).json<Segment>();
    expect(
      (await bulk({ selection: { ids: [c.id] }, action: { type: 'set_status', status: 'active' } }, viewer))
        .status,
    ).toBe(403);
    const membership = await bulk(
      { selection: { ids: [c.id] }, action: { type: 'add_to_segment', segment_id: manual.id } },
      agent,
    );
    expect(membership.status).toBe(403);
    const newTag = await bulk(
      { selection: { ids: [c.id] }, action: { type: 'add_tags', tag_names: ['Agent invented'] } },
      agent,
    );
    expect(newTag.status).toBe(403);
    expect(await tagNames(c.id)).toEqual([]);
  });

  it('names the field that is wrong and changes nothing', async () => {
    const c = await makeCustomer(t, admin, { company: 'Bulk Bad Co' });
    const cases: [object, string][] = [
      [{ selection: { ids: [] }, action: { type: 'set_status', status: 'active' } }, 'selection'],
      [{ selection: { ids: [c.id] }, action: { type: 'set_status', status: 'asleep' } }, 'action'],
      [{ selection: { ids: [c.id] }, action: { type: 'explode' } }, 'action'],
      [{ selection: { ids: [c.id] }, action: { type: 'add_tags' } }, 'action.tag_ids'],
      [
        { selection: { ids: [c.id] }, action: { type: 'remove_tags', tag_names: ['No such tag'] } },
        'action.tag_names[0]',
      ],
      [
        {
          selection: { ids: [c.id] },
          action: { type: 'set_owner', owner_id: '00000000-0000-4000-8000-000000000000' },
        },
        'action.owner_id',
      ],
      [
        {
          selection: { segment_id: '00000000-0000-4000-8000-000000000000' },
          action: { type: 'set_status', status: 'active' },
        },
        'selection.segment_id',
      ],
      [
        {
          selection: { criteria: { match: 'all', rules: [{ field: 'shoe_size', op: 'eq', value: 1 }] } },
          action: { type: 'set_status', status: 'active' },
        },
        'selection',
      ],
      // the list's filters, as the list sends them: a text query that does not parse, a bad status
      [
        {
          selection: { filter: { query: 'lifetime_value >>' } },
          action: { type: 'set_status', status: 'active' },
        },
        'selection',
      ],
      [
        { selection: { filter: { status: 'sleeping' } }, action: { type: 'set_status', status: 'active' } },
        'selection',
      ],
      // two selections at once
      [
        { selection: { ids: [c.id], segment_id: c.id }, action: { type: 'set_status', status: 'active' } },
        'selection',
      ],
    ];
    for (const [payload, field] of cases) {
      const res = await bulk(payload);
      expect(res.status, res.raw).toBe(400);
      expect(res.type).toContain('application/problem+json');
      expect(res.body.errors?.map((e) => e.field).join(' '), JSON.stringify(payload)).toContain(field);
    }
    expect((await profile(c.id)).version).toBe(c.version);
  });
});

describe('large selections run as a background job', () => {
  /** Inserts many customers in one statement (the API would take too long for a test). */
  async function manyCustomers(company: string, n: number) {
    await sql`insert into customers (first_name, last_name, company)
              select 'Many', 'Customer ' || g, ${company} from generate_series(1, ${n}) g`.execute(
      t.database.db,
    );
  }
  const companyIs = (company: string) => ({
    criteria: { match: 'all', rules: [{ field: 'company', op: 'eq', value: company }] },
  });

  it('answers 202, reports progress and the result, and shows the job only to its starter', async () => {
    await manyCustomers('Bulk Many Co', 1201);
    const res = await bulk({
      selection: companyIs('Bulk Many Co'),
      action: { type: 'add_tags', tag_names: ['Many'] },
    });
    expect(res.status, res.raw).toBe(202);
    expect(res.body.status_url).toBe(`/api/crm/jobs/${res.body.job_id}`);
    const queued = await t.request({ method: 'GET', url: res.body.status_url, as: manager });
    expect(queued.json<Job>()).toMatchObject({ status: 'queued', progress: { done: 0 } });

    expect(await t.app.workers.runner.runDue()).toBe(1);
    const done = await t.request({ method: 'GET', url: res.body.status_url, as: manager });
    expect(done.json<Job>()).toMatchObject({
      kind: 'customers.bulk',
      status: 'succeeded',
      progress: { done: 1201, total: 1201 },
      result: { status: 'succeeded', selected: 1201, changed: 1201 },
      error: null,
    });
    const tagged = await sql<{ n: string | number }>`
      select count(*) as n from customer_tags ct join tags t on t.id = ct.tag_id where t.name = 'Many'`.execute(
      t.database.db,
    );
    expect(Number(tagged.rows[0]?.n)).toBe(1201);
    expect((await t.request({ method: 'GET', url: res.body.status_url, as: agent })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: res.body.status_url, as: admin })).statusCode).toBe(200);
  });

  it('applies all or nothing: a job that fails part-way leaves every customer as it was', async () => {
    await manyCustomers('Bulk Doomed Co', 1100);
    const leaving = await t.staff('agent');
    const res = await bulk({
      selection: companyIs('Bulk Doomed Co'),
      action: { type: 'set_owner', owner_id: leaving.id },
    });
    expect(res.status).toBe(202);
    // the owner leaves before the job runs: the update hits the foreign key
    await sql`delete from api_tokens where staff_id = ${leaving.id}`.execute(t.database.db);
    await sql`delete from staff_users where id = ${leaving.id}`.execute(t.database.db);
    await t.app.workers.runner.runDue();
    const job = (await t.request({ method: 'GET', url: res.body.status_url, as: manager })).json<Job>();
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/failed/);
    const owned = await sql<{ n: string | number }>`
      select count(*) as n from customers where company = 'Bulk Doomed Co' and owner_id is not null`.execute(
      t.database.db,
    );
    expect(Number(owned.rows[0]?.n)).toBe(0);
  });
});
