import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Affinity, affinityQuerySchema } from '../../../shared/analytics.js';
import type { JobAccepted } from '../../../shared/jobs.js';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../../platform/principal.js';
import type { AppDeps } from '../../platform/deps.js';
import { enqueueJob } from '../../platform/jobs.js';
import {
  type AffinityRunRow,
  countKeptOrdersUpTo,
  findLatestRun,
  findRules,
  lockAffinityRuns,
  recomputeAffinityRows,
} from './affinity.queries.js';

export const AFFINITY_JOB = 'analytics.affinity';

/**
 * A pair of products enters the rules only once bought together in this many kept orders: fewer
 * is chance (one shopper's odd basket gives a huge lift), and the floor keeps the table small.
 */
export const AFFINITY_MIN_ORDERS = 3;

/**
 * Until the first recompute, a shop with at most this many kept orders is counted on first read
 * (milliseconds at this size); a larger one waits for the job (nightly, at start and on demand).
 */
export const AFFINITY_INLINE_ORDERS = 10_000;

export type AffinityRunSummary = {
  computed_at: string;
  duration_ms: number;
  orders: number;
  products: number;
  rules: number;
  min_orders: number;
};

const toSummary = (run: AffinityRunRow): AffinityRunSummary => ({
  computed_at: run.computed_at.toISOString(),
  duration_ms: run.duration_ms,
  orders: run.orders,
  products: run.products,
  rules: run.rules,
  min_orders: run.min_orders,
});

/** Recounts every rule and product's orders now, in one statement (the job's work). */
export async function recomputeAffinity(
  db: Kysely<DB>,
  createdBy: string | null = null,
): Promise<AffinityRunSummary> {
  return toSummary(await recomputeAffinityRows(db, AFFINITY_MIN_ORDERS, createdBy));
}

/**
 * The newest run; before the first one, a small shop is counted now so a new install shows its
 * rules at once. Two first readers at once: the second waits on the lock and finds the run.
 */
export async function ensureAffinity(
  db: Kysely<DB>,
  inlineOrders = AFFINITY_INLINE_ORDERS,
): Promise<AffinityRunRow | undefined> {
  const run = await findLatestRun(db);
  if (run) return run;
  if ((await countKeptOrdersUpTo(db, inlineOrders)) > inlineOrders) return undefined;
  return db.transaction().execute(async (trx) => {
    await lockAffinityRuns(trx);
    return (await findLatestRun(trx)) ?? recomputeAffinityRows(trx, AFFINITY_MIN_ORDERS, null);
  });
}

export async function productAffinity(
  deps: AppDeps,
  q: z.infer<typeof affinityQuerySchema>,
  inlineOrders = AFFINITY_INLINE_ORDERS,
): Promise<Affinity> {
  await ensureAffinity(deps.db, inlineOrders);
  // the run and its rules from one snapshot, even while a recompute commits
  return deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const run = await findLatestRun(trx);
      if (!run) return { computed_at: null, orders: 0, rules: [] };
      const rows = await findRules(trx, {
        productId: q.product_id,
        minSupport: q.min_support,
        sort: q.sort,
        limit: q.limit,
      });
      return {
        computed_at: run.computed_at.toISOString(),
        orders: run.orders,
        rules: rows.map((r) => ({
          product: { id: r.product_id, sku: r.product_sku, name: r.product_name },
          also_bought: { id: r.also_id, sku: r.also_sku, name: r.also_name },
          orders_together: r.orders_together,
          support: r.support,
          confidence: r.confidence,
          lift: r.lift,
        })),
      };
    });
}

/** Queues a recompute for its starter to follow (GET /api/crm/jobs/:id). */
export async function startAffinityRecompute(deps: AppDeps, principal: Principal): Promise<JobAccepted> {
  const jobId = await enqueueJob(deps.db, {
    kind: AFFINITY_JOB,
    payload: {},
    createdBy: principal.staffId,
  });
  if (!jobId) throw new Error('affinity job was not enqueued');
  return { job_id: jobId, status_url: `/api/crm/jobs/${jobId}`, status: 'queued' };
}
