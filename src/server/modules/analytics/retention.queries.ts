import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * Reads of the retention sums kept by migration 021: `retention_stats` (folded) plus the
 * `retention_deltas` appended since. Every figure is a sum over both.
 */

/** Unfolded deltas above which a reader folds them first (a fold of this many takes ~50 ms). */
const compactAbove = 20_000;

/** Folds the appended deltas when there are many; concurrent readers skip it (advisory lock). */
export async function compactRetentionIfNeeded(db: Kysely<DB>): Promise<void> {
  const row = await sql<{ n: string | number }>`
    select count(*) as n from (select 1 from retention_deltas limit ${compactAbove + 1}) d`.execute(db);
  if (Number(row.rows[0]?.n ?? 0) > compactAbove) {
    await db.transaction().execute((trx) => sql`select crm_compact_retention_stats()`.execute(trx));
  }
}

/** `retention_stats` and the unfolded deltas, both filtered by `where` (columns of either table). */
export function statsRows(where: RawBuilder<unknown> = sql`true`) {
  return sql`(
    select cohort, day, customers, orders, revenue, repeaters, starts, churns
      from retention_stats where ${where}
    union all
    select cohort, day, customers, orders, revenue, repeaters, starts, churns
      from retention_deltas where ${where}
  )`;
}

/** The churn threshold the sums were made with: the lifecycle rules' "lost after" days. */
export async function findInactiveDays(db: Kysely<DB>): Promise<number> {
  const row = await sql<{ days: number }>`
    select coalesce((select lost_after_days from lifecycle_rules), 365) as days`.execute(db);
  return Number(row.rows[0]?.days ?? 365);
}

/** Customers with a kept order, and those of them who bought again on a later day. */
export async function findRepeatTotals(db: Kysely<DB>): Promise<{ buyers: number; repeaters: number }> {
  const row = await sql<{ buyers: string | number; repeaters: string | number }>`
    select coalesce(sum(customers) filter (where date_trunc('month', day)::date = cohort), 0) as buyers,
           coalesce(sum(repeaters), 0) as repeaters
    from ${statsRows(sql`cohort is not null`)} s`.execute(db);
  return { buyers: Number(row.rows[0]?.buyers ?? 0), repeaters: Number(row.rows[0]?.repeaters ?? 0) };
}

export interface CohortMonthRow {
  /** YYYY-MM */
  cohort: string;
  month: string;
  customers: number;
  revenue: number;
  repeaters: number;
}

/** Sums by cohort and calendar month for cohorts in [from, to) (first days of months), up to `last`. */
export async function findCohortMonths(
  db: Kysely<DB>,
  from: string,
  to: string,
  last: string,
): Promise<CohortMonthRow[]> {
  const rows = await sql<{
    cohort: string;
    month: string;
    customers: string | number;
    revenue: string;
    repeaters: string | number;
  }>`
    select to_char(cohort, 'YYYY-MM') as cohort, to_char(day, 'YYYY-MM') as month,
           sum(customers) as customers, sum(revenue) as revenue, sum(repeaters) as repeaters
    from ${statsRows(sql`cohort >= ${from}::date and cohort < ${to}::date`)} s
    where day < (${last}::date + interval '1 month')
    group by 1, 2
    order by 1, 2`.execute(db);
  return rows.rows.map((r) => ({
    cohort: r.cohort,
    month: r.month,
    customers: Number(r.customers),
    revenue: Number(r.revenue),
    repeaters: Number(r.repeaters),
  }));
}
