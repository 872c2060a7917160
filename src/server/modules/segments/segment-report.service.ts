import { sql } from 'kysely';
import { lifecycleStages } from '../../../shared/enums.js';
import type { SegmentReport } from '../../../shared/segments.js';
import type { AppDeps } from '../../platform/deps.js';
import { notFound } from '../../platform/errors.js';
import { findSegment } from './segments.queries.js';

type Num = string | number | null;
const num = (v: Num | undefined) => Number(v ?? 0);

/**
 * GET /api/crm/segments/:id/report: size per day from the snapshots (today from the live count),
 * the members' revenue against everyone's, their averages, lifecycle stages and commonest tags.
 * Each figure is one aggregate query over the members.
 */
export async function segmentReport(deps: AppDeps, id: string, days: number): Promise<SegmentReport> {
  const segment = await findSegment(deps.db, id);
  if (!segment) throw notFound('Segment');
  const [history, members, total, stages, tags] = await Promise.all([
    sql<{ day: string; customer_count: number }>`
      select to_char(day, 'YYYY-MM-DD') as day, customer_count from segment_snapshots
      where segment_id = ${id} and day > current_date - ${days}::int and day < current_date
      order by day`.execute(deps.db),
    sql<{ revenue: Num; ltv: Num; aov: Num; orders: Num; today: string }>`
      select coalesce(sum(m.lifetime_value), 0) as revenue,
             coalesce(avg(m.lifetime_value), 0) as ltv,
             coalesce(sum(m.lifetime_value) / nullif(sum(m.total_orders), 0), 0) as aov,
             coalesce(avg(m.total_orders), 0) as orders,
             to_char(current_date, 'YYYY-MM-DD') as today
      from segment_members sm join customer_metrics m on m.customer_id = sm.customer_id
      where sm.segment_id = ${id}`.execute(deps.db),
    sql<{ revenue: Num }>`select coalesce(sum(lifetime_value), 0) as revenue from customer_metrics`.execute(
      deps.db,
    ),
    sql<{ stage: string; customers: Num }>`
      select m.lifecycle_stage as stage, count(*) as customers
      from segment_members sm join customer_metrics m on m.customer_id = sm.customer_id
      where sm.segment_id = ${id} group by m.lifecycle_stage`.execute(deps.db),
    sql<{ id: string; name: string; color: string; customers: Num }>`
      select t.id, t.name, t.color, count(*) as customers
      from segment_members sm
      join customer_tags ct on ct.customer_id = sm.customer_id
      join tags t on t.id = ct.tag_id
      where sm.segment_id = ${id}
      group by t.id, t.name, t.color
      order by count(*) desc, lower(t.name)
      limit 10`.execute(deps.db),
  ]);
  const m = members.rows[0];
  const segmentRevenue = num(m?.revenue);
  const totalRevenue = num(total.rows[0]?.revenue);
  const byStage = new Map(stages.rows.map((s) => [s.stage, num(s.customers)]));
  const count = Number(segment.customer_count);
  return {
    segment_id: id,
    customer_count: count,
    size_history: [
      ...history.rows.map((h) => ({ day: h.day, customer_count: Number(h.customer_count) })),
      { day: m?.today ?? new Date().toISOString().slice(0, 10), customer_count: count },
    ],
    revenue: {
      segment: segmentRevenue,
      total: totalRevenue,
      share: totalRevenue > 0 ? segmentRevenue / totalRevenue : 0,
    },
    averages: {
      lifetime_value: Math.round(num(m?.ltv) * 100) / 100,
      average_order_value: Math.round(num(m?.aov) * 100) / 100,
      total_orders: Math.round(num(m?.orders) * 100) / 100,
    },
    lifecycle: lifecycleStages.map((stage) => ({ stage, customers: byStage.get(stage) ?? 0 })),
    tags: tags.rows.map((t) => ({ id: t.id, name: t.name, color: t.color, customers: num(t.customers) })),
  };
}
