import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../shared/customers.js';
import type { IngestResult } from '../../../shared/orders.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { createTestDatabase } from '../../../../tests/helpers/test-database.js';
import { migrate } from '../../db/migrate.js';

/**
 * Order metrics, the predicted value, status and stage live in customer_metrics, one row per
 * customer (migrations 026 and 027), so that orders and model refits rewrite a narrow row instead
 * of the customers row and its many indexes.
 */
describe('migration 026', () => {
  it('moves every customer’s metrics and value into customer_metrics, unchanged', async () => {
    const database = await createTestDatabase('025_ingest_throughput.sql');
    try {
      const db = database.db;
      await sql`
        insert into customers (first_name, total_orders, lifetime_value, average_order_value,
                               first_order_date, last_order_date, customer_value)
        values ('Ann', 3, 120.50, 40.17, '2025-01-02T10:00:00Z', '2026-03-04T10:00:00Z', 88.10),
               ('Bo', 0, 0, 0, null, null, 0)`.execute(db);
      const before = await sql<Record<string, unknown>>`
        select first_name, total_orders, lifetime_value, average_order_value, first_order_date,
               last_order_date, customer_value
        from customers order by first_name`.execute(db);

      expect(await migrate(database)).toContain('026_customer_metrics.sql');

      const after = await sql<Record<string, unknown>>`
        select c.first_name, m.total_orders, m.lifetime_value, m.average_order_value, m.first_order_date,
               m.last_order_date, m.customer_value
        from customers c join customer_metrics m on m.customer_id = c.id order by c.first_name`.execute(db);
      expect(after.rows).toEqual(before.rows);
      const left = await sql<{ column_name: string }>`
        select column_name from information_schema.columns
        where table_name = 'customers'
          and column_name in ('total_orders', 'lifetime_value', 'average_order_value',
                              'first_order_date', 'last_order_date', 'customer_value')`.execute(db);
      expect(left.rows).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

describe('migration 027', () => {
  it('moves every customer’s status, stage and country beside the metrics, unchanged; new rows start as a prospect and a lead', async () => {
    const database = await createTestDatabase('026_customer_metrics.sql');
    try {
      const db = database.db;
      await sql`
        insert into customers (first_name, customer_status, lifecycle_stage, country)
        values ('Ann', 'active', 'loyal', 'DE'), ('Bo', 'churned', 'lost', null), ('Cy', 'prospect', 'lead', 'US')`.execute(
        db,
      );
      await sql`update customer_metrics set total_orders = 9, lifetime_value = 310.25`.execute(db);
      const before = await sql<Record<string, unknown>>`
        select c.first_name, c.customer_status, c.lifecycle_stage, c.country, m.total_orders, m.lifetime_value
        from customers c join customer_metrics m on m.customer_id = c.id order by c.first_name`.execute(db);

      expect(await migrate(database)).toContain('027_customer_state.sql');

      const after = await sql<Record<string, unknown>>`
        select c.first_name, m.customer_status, m.lifecycle_stage, m.country, m.total_orders, m.lifetime_value
        from customers c join customer_metrics m on m.customer_id = c.id order by c.first_name`.execute(db);
      expect(after.rows).toEqual(before.rows);
      const left = await sql<{ column_name: string }>`
        select column_name from information_schema.columns
        where table_name = 'customers' and column_name in ('customer_status', 'lifecycle_stage', 'country')`.execute(
        db,
      );
      expect(left.rows).toEqual([]);
      // the rebuilt table keeps its key, its cascade and the trigger's defaults for new customers
      const [made] = (
        await sql<{ id: string }>`insert into customers (first_name) values ('Di') returning id`.execute(db)
      ).rows;
      const state = await sql`
        select customer_status, lifecycle_stage from customer_metrics where customer_id = ${made!.id}`.execute(
        db,
      );
      expect(state.rows).toEqual([{ customer_status: 'prospect', lifecycle_stage: 'lead' }]);
      await expect(
        sql`update customer_metrics set lifecycle_stage = 'vip' where customer_id = ${made!.id}`.execute(db),
      ).rejects.toThrow(/customer_metrics_lifecycle_stage_check/);
      await sql`delete from customers where id = ${made!.id}`.execute(db);
      const gone = await sql`select 1 from customer_metrics where customer_id = ${made!.id}`.execute(db);
      expect(gone.rows).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

describe('customer_metrics', () => {
  let t: TestApp;
  let admin: StaffHandle;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.staff('admin');
  });
  afterAll(() => t?.close());

  const metricsOf = async (id: string) =>
    (
      await sql<{ total_orders: number; lifetime_value: string; last_order_date: Date | null }>`
        select total_orders, lifetime_value, last_order_date from customer_metrics where customer_id = ${id}`.execute(
        t.database.db,
      )
    ).rows;

  it('has a zero row for every new customer, however it is inserted', async () => {
    const made = await makeCustomer(t, admin);
    expect(await metricsOf(made.id)).toEqual([
      { total_orders: 0, lifetime_value: '0.00', last_order_date: null },
    ]);
    // many customers in one statement: one row each (the trigger is per statement)
    const many = await sql<{ id: string }>`
      insert into customers (first_name) select 'Bulk ' || n from generate_series(1, 3) n returning id`.execute(
      t.database.db,
    );
    for (const { id } of many.rows) expect(await metricsOf(id)).toHaveLength(1);
    const orphans = await sql<{ n: number }>`
      select count(*)::int as n from customers c
      where not exists (select 1 from customer_metrics m where m.customer_id = c.id)`.execute(t.database.db);
    expect(orphans.rows[0]!.n).toBe(0);
  });

  it('an ingested order moves the metrics, status and stage without rewriting the customers row', async () => {
    const c = await makeCustomer(t, admin);
    const order = (n: number, daysAgo: number) => ({
      external_id: `metrics-${c.id}-${n}`,
      customer_id: c.id,
      placed_at: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
      items: [{ sku: 'MET-1', quantity: 1, unit_price: 10 }],
    });
    const ingest = async (orders: object[]) => {
      const res = await t.request({
        method: 'POST',
        url: '/api/orders/ingest',
        as: admin,
        payload: { orders },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<IngestResult>().accepted).toBe(orders.length);
    };
    const rowVersion = async () =>
      (
        await sql<{ xmin: string }>`select xmin::text from customers where id = ${c.id}`.execute(
          t.database.db,
        )
      ).rows[0]!.xmin;
    const stateOf = async () =>
      (
        await sql<{ customer_status: string; lifecycle_stage: string }>`
          select customer_status, lifecycle_stage from customer_metrics where customer_id = ${c.id}`.execute(
          t.database.db,
        )
      ).rows[0];
    const created = await rowVersion();
    expect(await stateOf()).toEqual({ customer_status: 'prospect', lifecycle_stage: 'lead' });

    // a lead's first orders make an active, loyal customer: stage and status move on customer_metrics
    await ingest([order(1, 30), order(2, 20), order(3, 10)]);
    expect(await stateOf()).toEqual({ customer_status: 'active', lifecycle_stage: 'loyal' });
    await ingest([order(4, 1)]);
    const [m] = await metricsOf(c.id);
    expect(m?.total_orders).toBe(4);
    expect(Number(m?.lifetime_value)).toBe(40);
    // orders never wrote the customers row: it is the row version the creation left
    expect(await rowVersion()).toBe(created);

    const profile = await t.request({ method: 'GET', url: `/api/crm/customers/${c.id}`, as: admin });
    expect(profile.json<Customer>()).toMatchObject({
      total_orders: 4,
      lifetime_value: 40,
      average_order_value: 10,
      customer_status: 'active',
      lifecycle_stage: 'loyal',
    });
  });

  it('an edit writes the metrics row only when status, stage or country moved', async () => {
    const c = await makeCustomer(t, admin, {
      customer_status: 'active',
      addresses: [{ line1: '1 Main St', city: 'Lyon', country: 'FR', is_primary: true }],
    });
    const metricsVersion = async () =>
      (
        await sql<{ xmin: string; customer_status: string; country: string | null }>`
          select xmin::text, customer_status, country from customer_metrics where customer_id = ${c.id}`.execute(
          t.database.db,
        )
      ).rows[0]!;
    const put = async (payload: object) => {
      const current = await t.request({ method: 'GET', url: `/api/crm/customers/${c.id}`, as: admin });
      const res = await t.request({
        method: 'PUT',
        url: `/api/crm/customers/${c.id}`,
        as: admin,
        payload: { version: current.json<Customer>().version, ...payload },
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const before = await metricsVersion();
    expect(before).toMatchObject({ customer_status: 'active', country: 'FR' });

    // a new name, the same status and a phone added: nothing on customer_metrics moved
    await put({ first_name: 'Renamed', customer_status: 'active', phones: [{ phone: '+33 1 23 45 67 89' }] });
    expect(await metricsVersion()).toEqual(before);

    await put({ customer_status: 'inactive' });
    expect(await metricsVersion()).toMatchObject({ customer_status: 'inactive', country: 'FR' });
    expect((await metricsVersion()).xmin).not.toBe(before.xmin);
  });

  it('marks the customer for automatic segments when the metrics change', async () => {
    const c = await makeCustomer(t, admin);
    const seg = await t.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: {
        name: 'Spent 500+',
        auto_update: true,
        criteria: { match: 'all', rules: [{ field: 'lifetime_value', op: 'gte', value: 500 }] },
      },
    });
    expect(seg.statusCode).toBe(201);
    await sql`delete from segment_dirty_customers`.execute(t.database.db);
    await sql`update customer_metrics set lifetime_value = 600 where customer_id = ${c.id}`.execute(
      t.database.db,
    );
    const dirty = await sql<{ customer_id: string }>`select customer_id from segment_dirty_customers`.execute(
      t.database.db,
    );
    expect(dirty.rows.map((r) => r.customer_id)).toEqual([c.id]);
  });
});
