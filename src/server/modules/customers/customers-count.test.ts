import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_COUNT_CAP, type CustomerList } from '../../../shared/customers.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { customersWithMetrics } from '../criteria/criteria.source.js';

/** The list's total: a maintained counter when unfiltered, a capped count when filtered. */
let t: TestApp;
let admin: StaffHandle;
const realCount = async (where = sql`true`) =>
  Number(
    (
      await sql<{ n: string }>`select count(*) as n from ${customersWithMetrics} where ${where}`.execute(
        t.database.db,
      )
    ).rows[0]!.n,
  );
const list = async (query: string) =>
  (await t.request({ method: 'GET', url: `/api/crm/customers?${query}`, as: admin })).json<CustomerList>();

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  // past the cap, in one statement: the count triggers see it as one delta
  await sql`
    insert into customers (first_name, last_name, search_text)
    select 'Bulk', 'Person ' || g, 'bulk person ' || g from generate_series(1, ${CUSTOMER_COUNT_CAP + 50}) g`.execute(
    t.database.db,
  );
  await sql`
    update customer_metrics m set customer_status = 'active' from customers c
    where c.id = m.customer_id and c.search_text like 'bulk person %'
      and split_part(c.search_text, ' ', 3)::int % 2 = 0`.execute(t.database.db);
});
afterAll(() => t?.close());

describe('the customer list total', () => {
  it('is exact without filters, from the counter, and follows inserts and deletes', async () => {
    expect(await list('limit=1')).toMatchObject({ total: await realCount(), total_exact: true });
    await makeCustomer(t, admin, { first_name: 'Counted' });
    await sql`delete from customers where last_name in ('Person 1', 'Person 2', 'Person 3')`.execute(
      t.database.db,
    );
    const after = await list('limit=1');
    expect(after.total).toBe(await realCount());
    expect(after.total).toBe(CUSTOMER_COUNT_CAP + 50 + 1 - 3);
  });

  it('stays exact after compaction and after a full reset', async () => {
    const before = (await list('limit=1')).total;
    await sql`select crm_compact_customer_count()`.execute(t.database.db);
    const rows = await sql<{ n: string }>`select count(*) as n from customer_count_deltas`.execute(
      t.database.db,
    );
    expect(Number(rows.rows[0]!.n)).toBe(1);
    expect((await list('limit=1')).total).toBe(before);
    await sql`delete from customer_count_deltas`.execute(t.database.db);
    await sql`select crm_reset_customer_count()`.execute(t.database.db);
    expect((await list('limit=1')).total).toBe(before);
  });

  it('counts filtered matches up to the cap, then says "at least"', async () => {
    const broad = await list('q=bulk&limit=5');
    expect(broad).toMatchObject({ total: CUSTOMER_COUNT_CAP, total_exact: false });
    const narrow = await list('status=active&q=bulk&limit=5');
    expect(narrow).toMatchObject({
      total: await realCount(sql`customer_status = 'active' and search_text like '%bulk%'`),
      total_exact: true,
    });
    const exact = await t.request({ method: 'GET', url: '/api/crm/customers/count?q=bulk', as: admin });
    expect(exact.json()).toEqual({ total: await realCount(sql`search_text like '%bulk%'`) });
    const all = await t.request({ method: 'GET', url: '/api/crm/customers/count', as: admin });
    expect(all.json()).toEqual({ total: await realCount() });
  });

  it('later pages carry the first page’s total instead of counting again', async () => {
    const first = await list('q=bulk&limit=3&sort=last_name&order=asc');
    const second = await list(`q=bulk&limit=3&sort=last_name&order=asc&cursor=${first.next_cursor}`);
    expect(second).toMatchObject({ total: first.total, total_exact: first.total_exact });
    expect(second.data[0]!.id).not.toBe(first.data[0]!.id);
    const forged = Buffer.from(JSON.stringify({ s: 'last_name:asc', v: 'x', id: 'y', t: -5 })).toString(
      'base64url',
    );
    const bad = await t.request({
      method: 'GET',
      url: `/api/crm/customers?sort=last_name&order=asc&cursor=${forged}`,
      as: admin,
    });
    expect(bad.statusCode).toBe(400);
  });
});
