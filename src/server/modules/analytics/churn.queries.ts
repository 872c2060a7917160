import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { statsRows } from './retention.queries.js';
import { customersWithMetrics } from '../criteria/criteria.source.js';

export interface ChurnMonthRow {
  month: string;
  active_at_start: number;
  churned: number;
}

/**
 * Churn by calendar month for the months [from, to] (first days of months): customers active when
 * the month began (started before it, not churned before it) and those of them churning in it.
 * Starts and churns are summed once per month and accumulated over the shop's whole history.
 */
export async function findChurnByMonth(db: Kysely<DB>, from: string, to: string): Promise<ChurnMonthRow[]> {
  const rows = await sql<{ month: string; active_at_start: string | number; churned: string | number }>`
    with m as (
      select date_trunc('month', day)::date as month, sum(starts) as starts, sum(churns) as churns
      from ${statsRows(sql`cohort is not null and day < (${to}::date + interval '1 month')`)} s
      group by 1
    )
    select to_char(g.month, 'YYYY-MM') as month,
           coalesce(sum(m.starts - m.churns) filter (where m.month < g.month), 0) as active_at_start,
           coalesce(sum(m.churns) filter (where m.month = g.month), 0) as churned
    from generate_series(${from}::date, ${to}::date, interval '1 month') as g (month)
    left join m on m.month <= g.month
    group by g.month
    order by g.month`.execute(db);
  return rows.rows.map((r) => ({
    month: r.month,
    active_at_start: Number(r.active_at_start),
    churned: Number(r.churned),
  }));
}

export interface WinBackRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  email: string | null;
  erased_at: Date | null;
  lifetime_value: string;
  total_orders: number;
  last_order_date: Date | null;
  p_alive: number | null;
  value_at_risk: string;
}

export async function hasPredictions(db: Kysely<DB>): Promise<boolean> {
  const row = await sql<{ any: boolean }>`select exists (select 1 from customer_predictions) as any`.execute(
    db,
  );
  return row.rows[0]?.any === true;
}

/**
 * The `limit` customers with the most value at risk, lifetime value × (1 − P(alive)), from the
 * current model's predictions. Value at risk never exceeds lifetime value, so the answer is among
 * the customers with the highest lifetime values: read the top `take` of those (an index walk),
 * and it is exact once the last one kept has at least as much at risk as the least valuable one
 * read. Otherwise read four times as many and check again (`firstTake` is there for tests).
 */
export async function findWinBackFromModel(
  db: Kysely<DB>,
  limit: number,
  firstTake = Math.max(1000, limit * 40),
): Promise<WinBackRow[]> {
  for (let take = firstTake; ; take *= 4) {
    const rows = await sql<WinBackRow & { read: string | number; floor: string | null }>`
      with top as materialized (
        select m.customer_id as id, m.lifetime_value, p.p_alive
        from customer_metrics m
        join customer_predictions p on p.customer_id = m.customer_id
        order by m.lifetime_value desc, m.customer_id desc
        limit ${take}
      ), ranked as (
        select id, p_alive, lifetime_value * (1 - p_alive::numeric) as value_at_risk
        from top
        order by value_at_risk desc, lifetime_value desc, id
        limit ${limit}
      )
      select c.id, c.first_name, c.last_name, c.company, c.email, c.erased_at, m.lifetime_value,
             m.total_orders, m.last_order_date, r.p_alive, round(r.value_at_risk, 2) as value_at_risk,
             (select count(*) from top) as read, (select min(lifetime_value) from top) as floor
      from ranked r join customers c on c.id = r.id join customer_metrics m on m.customer_id = r.id
      order by r.value_at_risk desc, m.lifetime_value desc, c.id`.execute(db);
    const first = rows.rows[0];
    const last = rows.rows.at(-1);
    const exhausted = !first || Number(first.read) < take;
    if (exhausted || (rows.rows.length === limit && Number(last!.value_at_risk) >= Number(first.floor))) {
      return rows.rows.map(({ read: _read, floor: _floor, ...row }) => row);
    }
  }
}

/**
 * Before any model is fitted: customers with no kept order for `inactiveDays` (churned by the
 * churn definition), the most valuable first; all of their value counts as at risk.
 */
export async function findWinBackByInactivity(
  db: Kysely<DB>,
  inactiveDays: number,
  limit: number,
  now: Date,
): Promise<WinBackRow[]> {
  const rows = await sql<WinBackRow>`
    select c.id, c.first_name, c.last_name, c.company, c.email, c.erased_at, m.lifetime_value,
           m.total_orders, m.last_order_date, null::float8 as p_alive, m.lifetime_value as value_at_risk
    from ${customersWithMetrics}
    where m.last_order_date < ${now}::timestamptz - make_interval(hours => 24 * ${inactiveDays}::int)
    order by m.lifetime_value desc, m.customer_id desc
    limit ${limit}`.execute(db);
  return rows.rows;
}
