import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from '../../../shared/customers.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** GET /api/crm/activity: the team's actions across customers. */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;
let viewer: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  viewer = await t.staff('viewer');
});
afterAll(() => t?.close());

async function activity(query = '', as: StaffHandle = admin) {
  const res = await t.request({ method: 'GET', url: `/api/crm/activity${query}`, as });
  return { status: res.statusCode, body: res.json<Activity>() };
}

describe('team activity', () => {
  it('lists what staff did across customers, newest first, filtered by actor and kind, by cursor', async () => {
    const ana = await makeCustomer(t, admin, { first_name: 'Ana', last_name: 'Feed' });
    const ben = await makeCustomer(t, manager, { first_name: 'Ben', last_name: 'Feed' });
    await t.request({
      method: 'POST',
      url: `/api/crm/customers/${ana.id}/tags`,
      as: manager,
      payload: { names: ['Feed tag'], create_missing: true },
    });
    await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${ben.id}`,
      as: admin,
      payload: { emails: [{ email: 'ben.new@example.com' }], version: ben.version },
    });
    // a change with no staff actor is not team activity
    await t.database.db
      .insertInto('customer_events')
      .values({ customer_id: ana.id, kind: 'signed_up', actor_id: null, summary: 'Signed up', data: '{}' })
      .execute();

    const all = await activity();
    expect(all.status).toBe(200);
    expect(all.body.data.map((e) => [e.kind, e.customer.name, e.actor?.id])).toEqual([
      ['profile_updated', 'Ben Feed', admin.id],
      ['tag_added', 'Ana Feed', manager.id],
      ['customer_created', 'Ben Feed', manager.id],
      ['customer_created', 'Ana Feed', admin.id],
    ]);

    const mine = await activity('?actor_id=me', manager);
    expect(mine.body.data.map((e) => e.kind)).toEqual(['tag_added', 'customer_created']);
    const tags = await activity('?kind=tag_added');
    expect(tags.body.data).toHaveLength(1);

    const first = await activity('?limit=2');
    expect(first.body.data).toHaveLength(2);
    const rest = await activity(`?limit=2&cursor=${encodeURIComponent(first.body.next_cursor ?? '')}`);
    expect([...first.body.data, ...rest.body.data].map((e) => e.id)).toEqual(all.body.data.map((e) => e.id));
    expect(rest.body.next_cursor).toBeNull();
  });

  it('masks contact details in profile changes for a viewer, and names bad filters', async () => {
    const seen = await activity('?kind=profile_updated', viewer);
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body.data)).not.toContain('ben.new@example.com');
    const bad = await t.request({ method: 'GET', url: '/api/crm/activity?actor_id=someone', as: viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toContain('actor_id');
  });
});
