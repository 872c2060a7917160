import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { AppDeps } from './platform/deps.js';
import { createJobRunner, enqueueJob, type JobHandler } from './platform/jobs.js';
import { MAIL_JOB, mailJob } from './platform/mail.js';
import { CLV_FIT_JOB, clvFitJob, enqueueNightlyFit } from './modules/clv/clv.service.js';
import { campaignJob, EMAIL_CAMPAIGN_JOB } from './modules/communications/campaigns.service.js';
import { EMAIL_DELIVER_JOB, emailDeliverJob } from './modules/communications/delivery.service.js';
import { AFFINITY_JOB, affinityJob, enqueueNightlyAffinity } from './modules/analytics/affinity.job.js';
import { BULK_JOB, bulkJob } from './modules/customers/customers-bulk.service.js';
import { EXPORT_JOB, exportJob } from './modules/exports/export-job.js';
import { runDueSchedules } from './modules/exports/export-schedules.service.js';
import { expireExports } from './modules/exports/exports.service.js';
import { evaluateLifecycle } from './modules/lifecycle/lifecycle.service.js';
import { rescoreRfm } from './modules/rfm/rfm.service.js';
import {
  createSegmentRefresher,
  SEGMENT_REFRESH_JOB,
  segmentRefreshJob,
} from './modules/segments/segment-refresh.service.js';
import { TASK_REMINDERS_JOB, taskRemindersJob } from './modules/tasks/tasks.service.js';
import { pruneInboundDeliveries } from './modules/tickets/tickets-inbound.service.js';

const SCORES_JOB = 'scores.daily';

/** Nightly: RFM quintiles and lifecycle stages move with time alone, so both are recomputed. */
const scoresJob: JobHandler = async ({ deps, progress }) => {
  const rfm = await rescoreRfm(deps);
  await progress(1, 2);
  const lifecycle = await evaluateLifecycle(deps);
  await progress(2, 2);
  return { rfm_changed: rfm.customers_changed, lifecycle_changed: lifecycle.changed };
};

const handlers: Record<string, JobHandler> = {
  [SEGMENT_REFRESH_JOB]: segmentRefreshJob,
  [BULK_JOB]: bulkJob,
  [SCORES_JOB]: scoresJob,
  [TASK_REMINDERS_JOB]: taskRemindersJob,
  [MAIL_JOB]: mailJob,
  [EMAIL_DELIVER_JOB]: emailDeliverJob,
  [EMAIL_CAMPAIGN_JOB]: campaignJob,
  [EXPORT_JOB]: exportJob,
  [AFFINITY_JOB]: affinityJob,
  [CLV_FIT_JOB]: clvFitJob,
};

/** The start of the period `now` falls in, for periods of `minutes` since the epoch. */
const periodStart = (now: Date, minutes: number) =>
  new Date(Math.floor(now.getTime() / (minutes * 60_000)) * minutes * 60_000);

/**
 * Enqueues this period's scheduled jobs (and drops jobs finished over 30 days ago). Every server
 * process calls it; the dedupe key (kind and period) lets exactly one job per period exist, and
 * the queue runs it once.
 */
export async function enqueueScheduledJobs(deps: AppDeps, now = new Date()) {
  const refreshAt = periodStart(now, deps.config.segmentRefreshMinutes);
  await enqueueJob(deps.db, {
    kind: SEGMENT_REFRESH_JOB,
    payload: { time_relative_only: true },
    runAt: refreshAt,
    dedupeKey: `${SEGMENT_REFRESH_JOB}@${refreshAt.toISOString()}`,
  });
  // finished jobs are kept a month for their starters and for debugging, then dropped
  await sql`delete from jobs where finished_at < now() - interval '30 days'`.execute(deps.db);
  const day = now.toISOString().slice(0, 10);
  await enqueueJob(deps.db, {
    kind: SCORES_JOB,
    runAt: new Date(`${day}T00:00:00Z`),
    dedupeKey: `${SCORES_JOB}@${day}`,
  });
  await enqueueNightlyAffinity(deps.db, now);
  // the customer-value model is refitted nightly, after the day's orders (and on demand)
  await enqueueNightlyFit(deps.db, day);
  // reminders are delivered every minute (a run that finds none is cheap); their 1,440 jobs a day
  // are dropped after a day once succeeded, past any use for debugging
  const minute = periodStart(now, 1);
  await enqueueJob(deps.db, {
    kind: TASK_REMINDERS_JOB,
    runAt: minute,
    dedupeKey: `${TASK_REMINDERS_JOB}@${minute.toISOString()}`,
  });
  await sql`delete from jobs where kind = ${TASK_REMINDERS_JOB} and status = 'succeeded'
            and finished_at < now() - interval '1 day'`.execute(deps.db);
  await pruneInboundDeliveries(deps.db, now);
  // scheduled exports claim their run in the database, and expired files go, once whichever
  // process gets there first
  await runDueSchedules(deps, now);
  await expireExports(deps);
}

/**
 * Background work of one server process: the job queue, the change-driven segment refresh and
 * the scheduler. main.ts starts them through the app; tests drive `runDue`/`refreshDirty` directly.
 */
export function createWorkers(deps: AppDeps, log?: FastifyBaseLogger) {
  const runner = createJobRunner(deps, handlers, { log });
  const refresher = createSegmentRefresher(deps, { log });
  let scheduler: NodeJS.Timeout | undefined;
  const schedule = () =>
    enqueueScheduledJobs(deps).catch((err) => log?.error({ err }, 'scheduling jobs failed'));
  return {
    runner,
    /** Re-evaluates automatic segments for every customer marked by a change, now. */
    refreshSegments: () => refresher.drain(),
    /** Enqueues this period's scheduled jobs (the loop does it every minute). */
    schedule: (now?: Date) => enqueueScheduledJobs(deps, now),
    async start() {
      // The embedded database belongs to this one process, so a job still 'running' at start was
      // cut off by a crash or restart: take it over now instead of after its lease.
      if (deps.database.engine === 'pglite') {
        await sql`update jobs set locked_until = now() where status = 'running'`.execute(deps.db);
      }
      await schedule();
      scheduler = setInterval(schedule, 60_000);
      runner.start();
      refresher.start();
    },
    async stop() {
      clearInterval(scheduler);
      await Promise.all([runner.stop(), refresher.stop()]);
    },
  };
}

export type Workers = ReturnType<typeof createWorkers>;
