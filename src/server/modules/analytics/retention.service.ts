import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type {
  Churn,
  Cohorts,
  Overview,
  churnQuerySchema,
  cohortsQuerySchema,
  overviewQuerySchema,
} from '../../../shared/analytics.js';
import type { DB } from '../../db/schema.js';
import { addDays, addMonths, daysBetween } from '../../platform/dates.js';
import type { AppDeps } from '../../platform/deps.js';
import { badInput } from '../../platform/errors.js';
import { toWinBackCustomer } from './churn.mapper.js';
import {
  findChurnByMonth,
  findWinBackByInactivity,
  findWinBackFromModel,
  hasPredictions,
} from './churn.queries.js';
import {
  findActivity,
  findPeriodStats,
  findSalesByDay,
  findValueBands,
  valueBandEdges,
} from './overview.queries.js';
import {
  type CohortMonthRow,
  compactRetentionIfNeeded,
  findCohortMonths,
  findInactiveDays,
  findRepeatTotals,
} from './retention.queries.js';

/**
 * Shop-wide retention: acquisition cohorts, churn and the period overview, read from the sums
 * migration 021 keeps (customer_months, retention_stats). Definitions, once:
 *  - kept order: status paid or fulfilled, as the customer metrics count; months and days are UTC
 *  - cohort: the calendar month of a customer's first kept order
 *  - repeat purchase: a kept order on a later day than the customer's first (same-day orders are
 *    one purchase, as in the customer-value model)
 *  - churn: no kept order for the lifecycle rules' `lost_after_days` (default 365), the moment the
 *    lifecycle rules call the customer lost; the next kept order makes them active again
 */

type CohortsQuery = z.infer<typeof cohortsQuerySchema>;
type ChurnQuery = z.infer<typeof churnQuerySchema>;
type OverviewQuery = z.infer<typeof overviewQuerySchema>;

/** Longest overview period, in days (two years and a leap day). */
export const maxPeriodDays = 731;

export async function retentionCohorts(deps: AppDeps, q: CohortsQuery, now = new Date()): Promise<Cohorts> {
  const current = monthOf(now);
  const from = q.from ? `${q.from}-01` : addMonths(current, -(q.months - 1));
  const end = addMonths(from, q.months);
  await compactRetentionIfNeeded(deps.db);
  return snapshot(deps.db, async (trx) => {
    const [rows, totals] = await Promise.all([
      from <= current ? findCohortMonths(trx, from, end, current) : Promise.resolve([]),
      findRepeatTotals(trx),
    ]);
    const cohorts = [];
    for (let c = from; c < end && c <= current; c = addMonths(c, 1)) {
      const summary = summarise(rows, c);
      const retention = [];
      for (let m = addMonths(c, 1); m <= current; m = addMonths(m, 1)) {
        retention.push(share(summary.byMonth.get(m.slice(0, 7)) ?? 0, summary.customers));
      }
      cohorts.push({
        cohort: c.slice(0, 7),
        customers: summary.customers,
        revenue: money(summary.revenue),
        retention,
        repeat_rate: share(summary.repeaters, summary.customers),
      });
    }
    return { cohorts, repeat_purchase_rate: share(totals.repeaters, totals.buyers) };
  });
}

export async function retentionChurn(
  deps: AppDeps,
  q: ChurnQuery,
  pii: boolean,
  now = new Date(),
): Promise<Churn> {
  const current = monthOf(now);
  await compactRetentionIfNeeded(deps.db);
  return snapshot(deps.db, async (trx) => {
    const inactiveDays = await findInactiveDays(trx);
    const cohortsFrom = addMonths(current, -(q.months - 1));
    const modelled = await hasPredictions(trx);
    const [overTime, cohortRows, totals, winBack] = await Promise.all([
      // complete months only: the current one has not had all its chances to churn
      findChurnByMonth(trx, addMonths(current, -q.months), addMonths(current, -1)),
      findCohortMonths(trx, cohortsFrom, addMonths(current, 1), current),
      findRepeatTotals(trx),
      modelled
        ? findWinBackFromModel(trx, q.limit)
        : findWinBackByInactivity(trx, inactiveDays, q.limit, now),
    ]);
    const revenueByCohort = [];
    for (let c = cohortsFrom; c <= current; c = addMonths(c, 1)) {
      const summary = summarise(cohortRows, c);
      revenueByCohort.push({
        cohort: c.slice(0, 7),
        customers: summary.customers,
        revenue: money(summary.revenue),
      });
    }
    return {
      inactive_days: inactiveDays,
      repeat_purchase_rate: share(totals.repeaters, totals.buyers),
      over_time: overTime.map((m) => ({ ...m, churn_rate: share(m.churned, m.active_at_start) })),
      revenue_by_cohort: revenueByCohort,
      win_back: winBack.map((row) => toWinBackCustomer(row, pii)),
      // of the customers listed: over every prediction it would join each with its customer
      value_at_risk_total: money(winBack.reduce((sum, row) => sum + Number(row.value_at_risk), 0)),
    };
  });
}

export async function retentionOverview(
  deps: AppDeps,
  q: OverviewQuery,
  now = new Date(),
): Promise<Overview> {
  const to = q.to ?? now.toISOString().slice(0, 10);
  const from = q.from ?? addDays(to, -29);
  if (from > to) throw badInput('from', 'from must be on or before to');
  const days = daysBetween(from, to) + 1;
  if (days > maxPeriodDays) throw badInput('from', `A period is at most ${maxPeriodDays} days`);
  const cur = { from, to };
  const prev = { from: addDays(from, -days), to: addDays(from, -1) };
  await compactRetentionIfNeeded(deps.db);
  return snapshot(deps.db, async (trx) => {
    const [[stats, prevStats], [activity, prevActivity], sales, bands] = await Promise.all([
      findPeriodStats(trx, cur, prev),
      findActivity(trx, cur, prev),
      findSalesByDay(trx, prev.from, to),
      findValueBands(trx),
    ]);
    const totals = (p: { from: string; to: string }) => {
      const inside = sales.filter((d) => d.date >= p.from && d.date <= p.to);
      const revenue = inside.reduce((sum, d) => sum + d.revenue, 0);
      const orders = inside.reduce((sum, d) => sum + d.orders, 0);
      return { revenue: money(revenue), orders, aov: orders > 0 ? money(revenue / orders) : 0 };
    };
    const now_ = totals(cur);
    const before = totals(prev);
    const byDay = new Map(sales.map((d) => [d.date, d]));
    const revenueByDay = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const day = byDay.get(d);
      revenueByDay.push({ date: d, revenue: money(day?.revenue ?? 0), orders: day?.orders ?? 0 });
    }
    return {
      period: cur,
      previous_period: prev,
      kpis: {
        customers: kpi(stats.buyers, prevStats.buyers),
        new_customers: kpi(stats.new_customers, prevStats.new_customers),
        active_customers: kpi(activity.active, prevActivity.active),
        revenue: kpi(now_.revenue, before.revenue),
        orders: kpi(now_.orders, before.orders),
        average_order_value: kpi(now_.aov, before.aov),
        repeat_rate: kpi(
          share(activity.repeat, activity.active),
          share(prevActivity.repeat, prevActivity.active),
        ),
        churn_rate: kpi(
          share(stats.churned, stats.active_at_start),
          share(prevStats.churned, prevStats.active_at_start),
        ),
      },
      revenue_by_day: revenueByDay,
      value_distribution: bands.map((customers, i) => {
        const min = i === 0 ? 0 : (valueBandEdges[i - 1] ?? 0);
        const max = valueBandEdges[i] ?? null;
        return { band: max === null ? `${fmt(min)}+` : `${fmt(min)}–${fmt(max)}`, min, max, customers };
      }),
    };
  });
}

/** Every read of one answer sees the same data. */
function snapshot<T>(db: Kysely<DB>, read: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(read);
}

/** One cohort's size (customers in its first month), revenue to date, repeaters and monthly actives. */
function summarise(rows: CohortMonthRow[], cohort: string) {
  const key = cohort.slice(0, 7);
  const mine = rows.filter((r) => r.cohort === key);
  return {
    customers: mine.find((r) => r.month === key)?.customers ?? 0,
    revenue: mine.reduce((sum, r) => sum + r.revenue, 0),
    repeaters: mine.reduce((sum, r) => sum + r.repeaters, 0),
    byMonth: new Map(mine.map((r) => [r.month, r.customers])),
  };
}

function kpi(value: number, previous: number) {
  return {
    value,
    previous,
    change_pct: previous === 0 ? null : Math.round(((value - previous) / Math.abs(previous)) * 1000) / 10,
  };
}

/** A share (0..1) to four decimals; 0 of nothing is 0. */
function share(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0;
}

const money = (value: number) => Math.round(value * 100) / 100;
const fmt = (n: number) => n.toLocaleString('en-US');

/** First day of the UTC month of `date`, as YYYY-MM-01. */
function monthOf(date: Date): string {
  return `${date.toISOString().slice(0, 7)}-01`;
}
