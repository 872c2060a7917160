import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { AFFINITY_JOB, recomputeAffinity } from './affinity.service.js';

export { AFFINITY_JOB };

/** Recomputes product affinity: one statement, so progress is simply none, then all. */
export const affinityJob: JobHandler = async ({ deps, job, progress }) => {
  await progress(0, 1);
  const run = await recomputeAffinity(deps.db, job.created_by);
  await progress(1, 1);
  return run;
};

/**
 * The day's recompute at 02:00 UTC, enqueued by every process's scheduler; the day in the dedupe
 * key lets one job per day exist. A server first started after 02:00 runs it at once, so a new
 * install has its rules within minutes.
 */
export async function enqueueNightlyAffinity(db: Kysely<DB>, now: Date) {
  // a shop without orders has nothing to count (its first read says so at once)
  const anyOrder = await sql`select 1 from orders limit 1`.execute(db);
  if (anyOrder.rows.length === 0) return;
  const day = now.toISOString().slice(0, 10);
  await enqueueJob(db, {
    kind: AFFINITY_JOB,
    runAt: new Date(`${day}T02:00:00Z`),
    dedupeKey: `${AFFINITY_JOB}@${day}`,
  });
}
