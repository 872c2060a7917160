import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { addDays, addMonths } from '../../platform/dates.js';
import { statsRows } from './retention.queries.js';

/** A period of whole UTC days, both ends included, as YYYY-MM-DD. */
export interface Period {
  from: string;
  to: string;
}

export interface PeriodStats {
  /** Customers whose first kept order was on or before the period's last day. */
  buyers: number;
  /** ... on a day of the period. */
  new_customers: number;
  /** Active (a kept order within the churn threshold) when the period began. */
  active_at_start: number;
  /** Of those, churning during the period. */
  churned: number;
}

/** The period figures kept in retention_stats, for two periods, in one read of the sums. */
export async function findPeriodStats(
  db: Kysely<DB>,
  cur: Period,
  prev: Period,
): Promise<[PeriodStats, PeriodStats]> {
  const figures = (p: Period) => sql`
    coalesce(sum(customers) filter (where first_month and day <= ${p.to}::date), 0),
    coalesce(sum(customers) filter (where first_month and day between ${p.from}::date and ${p.to}::date), 0),
    coalesce(sum(starts - churns) filter (where day < ${p.from}::date), 0),
    coalesce(sum(churns) filter (where day between ${p.from}::date and ${p.to}::date), 0)`;
  const row = await sql<{ f: (string | number)[] }>`
    select array[${figures(cur)}, ${figures(prev)}] as f
    from (
      select s.*, date_trunc('month', day)::date = cohort as first_month
      from ${statsRows(sql`cohort is not null and day <= ${cur.to}::date`)} s
    ) s`.execute(db);
  const f = (row.rows[0]?.f ?? []).map(Number);
  const at = (i: number): PeriodStats => ({
    buyers: f[i] ?? 0,
    new_customers: f[i + 1] ?? 0,
    active_at_start: f[i + 2] ?? 0,
    churned: f[i + 3] ?? 0,
  });
  return [at(0), at(4)];
}

/** Kept orders and their revenue per day of [from, to] (days without orders left out). */
export async function findSalesByDay(
  db: Kysely<DB>,
  from: string,
  to: string,
): Promise<{ date: string; orders: number; revenue: number }[]> {
  const rows = await sql<{ date: string; orders: string | number; revenue: string }>`
    select to_char(day, 'YYYY-MM-DD') as date, sum(orders) as orders, sum(revenue) as revenue
    from ${statsRows(sql`cohort is null and day between ${from}::date and ${to}::date`)} s
    group by day
    order by day`.execute(db);
  return rows.rows.map((r) => ({ date: r.date, orders: Number(r.orders), revenue: Number(r.revenue) }));
}

/**
 * Bits of `customer_months.days` (bit d-1 is day d) of the month starting `month` that fall in
 * [from, to]; days as YYYY-MM-DD.
 */
export function dayMask(month: string, from: string, to: string): number {
  const end = addDays(addMonths(month, 1), -1);
  if (to < month || from > end) return 0;
  const lo = from > month ? Number(from.slice(8, 10)) : 1;
  const hi = to < end ? Number(to.slice(8, 10)) : 31;
  return 2 ** hi - 2 ** (lo - 1);
}

export interface ActivityCounts {
  /** Customers with a kept order in the period. */
  active: number;
  /** Of those, customers with kept orders on two different days by the period's end. */
  repeat: number;
}

/**
 * Customers ordering in each period, and how many of them had bought on another day by the end
 * of it (earlier, or a second day within it). Counted in SQL over the customer_months rows of the
 * periods' months, each customer once: on their first month with an order in the period. The
 * day masks of each month are worked out here, so each row costs a few bit operations.
 */
export async function findActivity(
  db: Kysely<DB>,
  cur: Period,
  prev: Period,
): Promise<[ActivityCounts, ActivityCounts]> {
  const months: string[] = [];
  for (let m = `${prev.from.slice(0, 7)}-01`; m <= cur.to; m = addMonths(m, 1)) months.push(m);
  const masks = (p: Period) => ({
    in: months.map((m) => dayMask(m, p.from, p.to)),
    before: months.map((m) => dayMask(m, '0001-01-01', addDays(p.from, -1))),
  });
  const c = masks(cur);
  const pv = masks(prev);
  const counts = (p: Period, name: 'cur' | 'prev') => {
    const inside = sql.ref(`p.${name}_in`);
    const first = sql`(m.prev_at is null or m.prev_at < ${p.from}::timestamp at time zone 'UTC')`;
    const days = sql`(m.days & ${inside})`;
    return sql`
      count(*) filter (where ${days} <> 0 and ${first}),
      count(*) filter (where ${days} <> 0 and ${first} and (
        m.prev_at is not null or m.days & ${sql.ref(`p.${name}_before`)} <> 0 or ${days} & (${days} - 1) <> 0
        or m.next_at < (${p.to}::date + 1)::timestamp at time zone 'UTC'))`;
  };
  const row = await sql<{ c: (string | number)[] }>`
    with p as (
      select * from unnest(${months}::date[], ${c.in}::int[], ${c.before}::int[], ${pv.in}::int[], ${pv.before}::int[])
        as p (month, cur_in, cur_before, prev_in, prev_before)
    )
    select array[${counts(cur, 'cur')}, ${counts(prev, 'prev')}] as c
    from p join customer_months m on m.month = p.month`.execute(db);
  const n = (row.rows[0]?.c ?? []).map(Number);
  return [
    { active: n[0] ?? 0, repeat: n[1] ?? 0 },
    { active: n[2] ?? 0, repeat: n[3] ?? 0 },
  ];
}

/** Upper ends of the value bands (the last band has none). */
export const valueBandEdges = [50, 100, 250, 500, 1000, 2500, 5000] as const;

/** Customers per predicted 12-month value band: [0, 50), [50, 100), ..., [5000, ∞). */
export async function findValueBands(db: Kysely<DB>): Promise<number[]> {
  const edges = sql.join(valueBandEdges.map((e) => sql.lit(e)));
  const rows = await sql<{ band: number; customers: string | number }>`
    select width_bucket(customer_value, array[${edges}]::numeric[]) as band, count(*) as customers
    from customer_metrics
    group by 1`.execute(db);
  const counts = new Array<number>(valueBandEdges.length + 1).fill(0);
  for (const r of rows.rows) counts[Number(r.band)] = Number(r.customers);
  return counts;
}
