import { sql } from 'kysely';
import { type RfmGroup, type RfmOverview, type RfmRun, rfmGroups } from '../../../shared/rfm.js';
import type { AppDeps } from '../../platform/deps.js';
import { enqueueSegmentRefresh } from '../segments/segment-refresh.service.js';

/** Criteria fields that read the scores; automatic segments using them refresh after a rescore. */
const rfmFields = ['rfm_recency', 'rfm_frequency', 'rfm_monetary', 'rfm_group'];

type RunRow = {
  started_at: Date;
  finished_at: Date;
  customers_scored: string | number;
  customers_changed: string | number;
};

function toRun(row: RunRow): RfmRun {
  return {
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at.toISOString(),
    customers_scored: Number(row.customers_scored),
    customers_changed: Number(row.customers_changed),
    duration_ms: row.finished_at.getTime() - row.started_at.getTime(),
  };
}

/**
 * Rescores every customer in one transaction (set-based: one UPDATE with window functions),
 * records the run and asks for a refresh of the automatic segments that read the scores. Idempotent: a second run with no order changes changes nothing.
 */
export async function rescoreRfm(deps: AppDeps): Promise<RfmRun> {
  return deps.db.transaction().execute(async (trx) => {
    const started = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(trx);
    const changed = await sql<{ n: string | number }>`select crm_score_rfm() as n`.execute(trx);
    // criteria on RFM fields are planned from these statistics; a rescore can change most rows,
    // and stale ones (say, from before the first scoring) make a 60 ms query take 800 ms
    if (Number(changed.rows[0]?.n ?? 0) > 0) await sql`analyze customer_rfm`.execute(trx);
    const run = await sql<RunRow>`
      insert into rfm_runs (started_at, customers_scored, customers_changed)
      values (${started.rows[0]!.now}, (select count(*) from customer_metrics where total_orders > 0), ${Number(changed.rows[0]!.n)})
      returning started_at, finished_at, customers_scored, customers_changed`.execute(trx);
    await enqueueSegmentRefresh(trx, { fields: rfmFields });
    return toRun(run.rows[0]!);
  });
}

export async function rfmOverview(deps: AppDeps): Promise<RfmOverview> {
  const [lastRun, groups, grid] = await Promise.all([
    sql<RunRow>`select started_at, finished_at, customers_scored, customers_changed
                from rfm_runs order by id desc limit 1`.execute(deps.db),
    sql<{ group: string; customers: string | number; revenue: string; aov: string }>`
      select r.rfm_group as "group", count(*) as customers, coalesce(sum(m.lifetime_value), 0) as revenue,
             coalesce(round(sum(m.lifetime_value) / nullif(sum(m.total_orders), 0), 2), 0) as aov
      from customer_rfm r join customer_metrics m on m.customer_id = r.customer_id group by r.rfm_group`.execute(
      deps.db,
    ),
    sql<{ recency: number; frequency: number; customers: string | number }>`
      select recency, frequency, count(*) as customers from customer_rfm
      group by recency, frequency order by recency, frequency`.execute(deps.db),
  ]);
  const byGroup = new Map(groups.rows.map((g) => [g.group, g]));
  return {
    last_run: lastRun.rows[0] ? toRun(lastRun.rows[0]) : null,
    customers_scored: groups.rows.reduce((n, g) => n + Number(g.customers), 0),
    // every group, in a stable order, so charts keep their colours when a group is empty
    groups: rfmGroups.map((group: RfmGroup) => {
      const g = byGroup.get(group);
      return {
        group,
        customers: Number(g?.customers ?? 0),
        revenue: Number(g?.revenue ?? 0),
        average_order_value: Number(g?.aov ?? 0),
      };
    }),
    grid: grid.rows.map((c) => ({
      recency: c.recency,
      frequency: c.frequency,
      customers: Number(c.customers),
    })),
  };
}
