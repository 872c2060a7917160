import { sql } from 'kysely';
import { lifecycleStages, type LifecycleStage } from '../../../shared/enums.js';
import type { LifecycleReport, LifecycleRules } from '../../../shared/lifecycle.js';
import type { AppDeps } from '../../platform/deps.js';
import { customersWithMetrics } from '../criteria/criteria.source.js';

type RulesRow = Record<keyof LifecycleRules, string | number> & {
  updated_at: Date;
  updated_by: string | null;
};

function toRules(row: RulesRow) {
  return {
    loyal_min_orders: Number(row.loyal_min_orders),
    loyal_recent_days: Number(row.loyal_recent_days),
    at_risk_interval_factor: Number(row.at_risk_interval_factor),
    default_interval_days: Number(row.default_interval_days),
    at_risk_min_days: Number(row.at_risk_min_days),
    lost_after_days: Number(row.lost_after_days),
    updated_at: row.updated_at.toISOString(),
    updated_by: row.updated_by,
  };
}

export async function getLifecycleRules(deps: AppDeps) {
  const row = await sql<RulesRow>`select * from lifecycle_rules`.execute(deps.db);
  return toRules(row.rows[0]!);
}

/** New rules apply to every customer at once, in the same transaction. */
export async function updateLifecycleRules(deps: AppDeps, actorId: string, rules: LifecycleRules) {
  return deps.db.transaction().execute(async (trx) => {
    const row = await sql<RulesRow>`
      update lifecycle_rules set
        loyal_min_orders = ${rules.loyal_min_orders}, loyal_recent_days = ${rules.loyal_recent_days},
        at_risk_interval_factor = ${rules.at_risk_interval_factor},
        default_interval_days = ${rules.default_interval_days}, at_risk_min_days = ${rules.at_risk_min_days},
        lost_after_days = ${rules.lost_after_days}, updated_by = ${actorId}, updated_at = now()
      returning *`.execute(trx);
    const changed = await sql<{ n: string | number }>`select crm_apply_lifecycle_all() as n`.execute(trx);
    return { rules: toRules(row.rows[0]!), changed: Number(changed.rows[0]!.n) };
  });
}

/** Re-evaluates every customer whose stage is not set by hand (rules relative to today move). */
export async function evaluateLifecycle(deps: AppDeps) {
  const row = await sql<{ n: string | number }>`select crm_apply_lifecycle_all() as n`.execute(deps.db);
  return { changed: Number(row.rows[0]!.n) };
}

export async function lifecycleReport(deps: AppDeps, days: number): Promise<LifecycleReport> {
  const since = new Date(Date.now() - days * 86400_000);
  const [stages, moves] = await Promise.all([
    sql<{ stage: LifecycleStage; customers: string | number; manual: string | number }>`
      select m.lifecycle_stage as stage, count(*) as customers, count(*) filter (where c.lifecycle_stage_manual) as manual
      from ${customersWithMetrics} group by m.lifecycle_stage`.execute(deps.db),
    sql<{ from: LifecycleStage; to: LifecycleStage; customers: string | number }>`
      select from_stage as "from", to_stage as "to", count(distinct customer_id) as customers
      from lifecycle_transitions where occurred_at >= ${since}
      group by from_stage, to_stage order by 3 desc`.execute(deps.db),
  ]);
  const byStage = new Map(stages.rows.map((s) => [s.stage, s]));
  return {
    since: since.toISOString(),
    stages: lifecycleStages.map((stage) => ({
      stage,
      customers: Number(byStage.get(stage)?.customers ?? 0),
      manual: Number(byStage.get(stage)?.manual ?? 0),
    })),
    movements: moves.rows.map((m) => ({ from: m.from, to: m.to, customers: Number(m.customers) })),
  };
}

type Trx = AppDeps['db'];

/** A stage chosen by hand: recorded as a manual transition; the rules leave it until cleared. */
export async function recordManualStage(
  trx: Trx,
  customerId: string,
  change: { from: LifecycleStage; to: LifecycleStage },
  actorId: string,
) {
  await trx
    .insertInto('lifecycle_transitions')
    .values({
      customer_id: customerId,
      from_stage: change.from,
      to_stage: change.to,
      reason: 'Set by hand',
      source: 'manual',
      actor_id: actorId,
    })
    .execute();
  await trx
    .insertInto('customer_events')
    .values({
      customer_id: customerId,
      kind: 'stage_changed',
      actor_id: actorId,
      summary: `Stage ${change.from} → ${change.to} (set by hand)`,
      data: JSON.stringify({ from: change.from, to: change.to, reason: 'Set by hand', source: 'manual' }),
    })
    .execute();
}

/** Hands the stage back to the rules and re-evaluates at once. */
export async function clearManualStage(trx: Trx, customerId: string) {
  await trx
    .updateTable('customers')
    .set({ lifecycle_stage_manual: false })
    .where('id', '=', customerId)
    .execute();
  await sql`select crm_apply_lifecycle(${customerId})`.execute(trx);
}
