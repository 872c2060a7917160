import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RfmOverview, type RfmRun, rfmGroups } from '../../../shared/rfm.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** RFM scoring checked against an independent computation of percent-rank quintiles. */
let t: TestApp;
let admin: StaffHandle;
let viewer: StaffHandle;

/** Scores as the SQL should give them: 1 + floor(4.999 × percent_rank), ties equal. */
function quintiles(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return values.map((v) => {
    const rank = sorted.indexOf(v); // rank - 1 of the first equal value
    const pr = values.length > 1 ? rank / (values.length - 1) : 0;
    return 1 + Math.floor(4.999 * pr);
  });
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  viewer = await t.staff('viewer');
  // 40 buyers with deterministic, varied histories (some ties on purpose) and 5 without orders
  await sql`
    insert into customers (first_name, search_text) select 'Buyer ' || g, '' from generate_series(1, 45) g`.execute(
    t.database.db,
  );
  await sql`
    insert into orders (customer_id, total, placed_at, status)
    select c.id, 10 + (n % 7) * 15, now() - make_interval(days => ((n * 37 + k * 11) % 700)::int), 'paid'
    from (select id, row_number() over (order by first_name) as n from customers) c
    cross join lateral generate_series(1, 1 + (c.n::int % 4)) k
    where c.n <= 40`.execute(t.database.db);
});
afterAll(() => t?.close());

describe('RFM scoring', () => {
  it('scores buyers by percent-rank quintiles and leaves customers without orders unscored', async () => {
    const res = await t.request({ method: 'POST', url: '/api/crm/analytics/rfm/rescore', as: admin });
    expect(res.statusCode).toBe(200);
    const run = res.json<RfmRun>();
    expect(run.customers_scored).toBe(40);
    expect(run.customers_changed).toBe(40);

    const rows = await t.database.db
      .selectFrom('customers as c')
      .innerJoin('customer_metrics as m', 'm.customer_id', 'c.id')
      .leftJoin('customer_rfm as r', 'r.customer_id', 'c.id')
      .select([
        'c.id',
        'm.last_order_date',
        'm.total_orders',
        'm.lifetime_value',
        'r.recency as rfm_recency',
        'r.frequency as rfm_frequency',
        'r.monetary as rfm_monetary',
        'r.rfm_group',
      ])
      .execute();
    const buyers = rows.filter((r) => r.total_orders > 0);
    const expectedR = quintiles(buyers.map((b) => b.last_order_date!.getTime()));
    const expectedF = quintiles(buyers.map((b) => b.total_orders));
    const expectedM = quintiles(buyers.map((b) => Number(b.lifetime_value)));
    buyers.forEach((b, i) => {
      expect([b.rfm_recency, b.rfm_frequency, b.rfm_monetary]).toEqual([
        expectedR[i],
        expectedF[i],
        expectedM[i],
      ]);
      expect(rfmGroups).toContain(b.rfm_group);
    });
    // the extremes land where they should
    const latest = buyers.reduce((a, b) => (a.last_order_date! > b.last_order_date! ? a : b));
    expect(latest.rfm_recency).toBe(5);
    const richest = buyers.reduce((a, b) => (Number(a.lifetime_value) > Number(b.lifetime_value) ? a : b));
    expect(richest.rfm_monetary).toBe(5);
    for (const r of rows.filter((r) => r.total_orders === 0)) {
      expect([r.rfm_recency, r.rfm_frequency, r.rfm_monetary, r.rfm_group]).toEqual([null, null, null, null]);
    }
  });

  it('names groups from the scores, first matching rule winning', async () => {
    const cases: [number, number, number, string][] = [
      [5, 5, 5, 'champions'],
      [1, 5, 5, 'cannot_lose'],
      [3, 4, 3, 'loyal'],
      [5, 1, 1, 'new'],
      [4, 2, 5, 'potential_loyalists'],
      [3, 1, 2, 'promising'],
      [3, 2, 2, 'need_attention'],
      [2, 3, 1, 'at_risk'],
      [2, 1, 2, 'about_to_sleep'],
      [1, 2, 1, 'hibernating'],
      [1, 1, 1, 'lost'],
    ];
    for (const [r, f, m, group] of cases) {
      const got = await sql<{ g: string }>`select crm_rfm_group(${r}, ${f}, ${m}) as g`.execute(
        t.database.db,
      );
      expect({ r, f, m, group: got.rows[0]!.g }).toEqual({ r, f, m, group });
    }
    // every group is reachable
    expect(new Set(cases.map((c) => c[3]))).toEqual(new Set(rfmGroups));
  });

  it('changes nothing when rescored without new orders, and follows new and cancelled orders', async () => {
    const again = (
      await t.request({ method: 'POST', url: '/api/crm/analytics/rfm/rescore', as: admin })
    ).json<RfmRun>();
    expect(again.customers_changed).toBe(0);
    const newcomer = await t.database.db
      .selectFrom('customer_metrics')
      .select('customer_id as id')
      .where('total_orders', '=', 0)
      .executeTakeFirstOrThrow();
    await t.database.db.insertInto('orders').values({ customer_id: newcomer.id, total: 5000 }).execute();
    const after = (
      await t.request({ method: 'POST', url: '/api/crm/analytics/rfm/rescore', as: admin })
    ).json<RfmRun>();
    expect(after.customers_scored).toBe(41);
    expect(after.customers_changed).toBeGreaterThan(0);
    const scored = await t.database.db
      .selectFrom('customer_rfm')
      .select(['recency', 'monetary', 'rfm_group'])
      .where('customer_id', '=', newcomer.id)
      .executeTakeFirstOrThrow();
    expect(scored).toMatchObject({ recency: 5, monetary: 5 });
    expect(scored.rfm_group).toBe('new');
    // all of a customer's kept orders cancelled: no longer scored
    await t.database.db
      .updateTable('orders')
      .set({ status: 'cancelled' })
      .where('customer_id', '=', newcomer.id)
      .execute();
    const dropped = (
      await t.request({ method: 'POST', url: '/api/crm/analytics/rfm/rescore', as: admin })
    ).json<RfmRun>();
    expect(dropped.customers_scored).toBe(40);
    const gone = await t.database.db
      .selectFrom('customer_rfm')
      .select('customer_id')
      .where('customer_id', '=', newcomer.id)
      .execute();
    expect(gone).toEqual([]);
    await t.database.db
      .updateTable('orders')
      .set({ status: 'paid' })
      .where('customer_id', '=', newcomer.id)
      .execute();
    await t.request({ method: 'POST', url: '/api/crm/analytics/rfm/rescore', as: admin });
  });

  it('reports groups, the grid and the last run; viewers read, only writers rescore', async () => {
    const res = await t.request({ method: 'GET', url: '/api/crm/analytics/rfm', as: viewer });
    expect(res.statusCode).toBe(200);
    const overview = res.json<RfmOverview>();
    const real = await sql<{ group: string; n: string; revenue: string }>`
      select r.rfm_group as "group", count(*) as n, sum(m.lifetime_value) as revenue
      from customer_rfm r join customer_metrics m on m.customer_id = r.customer_id group by 1`.execute(
      t.database.db,
    );
    expect(overview.customers_scored).toBe(41);
    expect(overview.groups.map((g) => g.group)).toEqual([...rfmGroups]);
    for (const row of real.rows) {
      expect(overview.groups.find((g) => g.group === row.group)).toMatchObject({
        customers: Number(row.n),
        revenue: Number(row.revenue),
      });
    }
    expect(overview.grid.reduce((n, c) => n + c.customers, 0)).toBe(41);
    expect(overview.last_run).toMatchObject({ customers_scored: 41 });
    const denied = await t.request({ method: 'POST', url: '/api/crm/analytics/rfm/rescore', as: viewer });
    expect(denied.statusCode).toBe(403);
  });
});
