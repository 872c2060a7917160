import { type Kysely, sql } from 'kysely';
import type { ClvFitReply, ClvFitRequest, ClvModel } from '../../../shared/analytics.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { addDays, daysBetween } from '../../platform/dates.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { fitBgNbd } from './bgnbd.js';
import {
  clearBuyerSummaries,
  countBuyers,
  dropStalePredictions,
  findCalibrationSummaries,
  findOrderSpan,
  summariseBuyers,
} from './clv.queries.js';
import { holdoutFigures, scoreBuyers } from './clv-scoring.js';
import { fitGammaGamma } from './gamma-gamma.js';
import { type ClvModelRow, findCurrentModelRow, findModelRow, toClvModel } from './clv-models.queries.js';

export const CLV_FIT_JOB = 'clv.fit';
/** Without a calibration end, the last 26 weeks are held out to check the fit against. */
const DEFAULT_HOLDOUT_WEEKS = 26;
/** Up to this many buyers a fit answers at once; beyond it runs as a job. */
const INLINE_BUYERS = 50_000;
/** Gamma-Gamma needs enough repeat buyers to say anything about spend. */
const MIN_SPEND_CUSTOMERS = 10;

export interface Windows {
  calibrationStart: string;
  calibrationEnd: string;
  observationEnd: string;
}

/** The fit's windows from the data's span; a calibration end outside it is a 400 naming the field. */
async function resolveWindows(db: Kysely<DB>, calibrationEnd: string | undefined): Promise<Windows> {
  const span = await findOrderSpan(db);
  if (!span) {
    throw new AppError(
      'conflict',
      'There are no paid or fulfilled orders yet: the model learns from purchases',
    );
  }
  if (calibrationEnd !== undefined) {
    if (calibrationEnd < span.first) {
      throw badInput('calibration_end', `Must be on or after the first order day, ${span.first}`);
    }
    if (calibrationEnd > span.last) {
      throw badInput('calibration_end', `Must be on or before the last order day, ${span.last}`);
    }
    return { calibrationStart: span.first, calibrationEnd, observationEnd: span.last };
  }
  const holdoutDays = DEFAULT_HOLDOUT_WEEKS * 7;
  // hold out only when the calibration window stays at least as long as the holdout
  const end =
    daysBetween(span.first, span.last) >= 2 * holdoutDays ? addDays(span.last, -holdoutDays) : span.last;
  return { calibrationStart: span.first, calibrationEnd: end, observationEnd: span.last };
}

/** POST /clv/fit: fits now for a small shop, else queues a job (one at a time). */
export async function requestFit(
  deps: AppDeps,
  staffId: string,
  input: ClvFitRequest,
  inlineBuyers = INLINE_BUYERS,
): Promise<ClvFitReply> {
  await resolveWindows(deps.db, input.calibration_end);
  if ((await countBuyers(deps.db)) <= inlineBuyers) {
    return { status: 'fitted', model: await fitModel(deps, { ...input, createdBy: staffId }) };
  }
  const running = await deps.db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', CLV_FIT_JOB)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  const jobId =
    running?.id ??
    (await enqueueJob(deps.db, {
      kind: CLV_FIT_JOB,
      payload: input.calibration_end ? { calibration_end: input.calibration_end } : {},
      createdBy: staffId,
      maxAttempts: 2,
    }));
  return { status: 'queued', job_id: jobId!, status_url: `/api/crm/jobs/${jobId}` };
}

export const clvFitJob: JobHandler = async ({ deps, job, progress }) => {
  const calibrationEnd = job.payload.calibration_end;
  const model = await fitModel(
    deps,
    {
      ...(typeof calibrationEnd === 'string' ? { calibration_end: calibrationEnd } : {}),
      createdBy: job.created_by,
    },
    progress,
  );
  return { model_id: model.id, customers_scored: model.customers_scored };
};

let fitting = false;
/** pg_advisory_lock key of a fit: one at a time across every server process on the database. */
export const CLV_FIT_LOCK = 727276;
const alreadyFitting = () =>
  new AppError('conflict', 'A model fit is already running; try again when it has finished');

/**
 * Fits BG/NBD and Gamma-Gamma on the calibration window, checks them against the holdout, then
 * scores every buyer on their whole history: P(alive), expected purchases, predicted 12-month
 * value (customer_value). See docs/decisions/011-customer-value-model.md.
 *
 * One fit at a time: fits share the working table (clv_buyer_summaries). A flag covers this
 * process; on PostgreSQL a session advisory lock, held on a connection of its own for the whole
 * fit, covers the others (an inline fit on one server while the nightly job runs on another).
 * PGlite is embedded, so only this process can open it.
 */
export async function fitModel(
  deps: AppDeps,
  input: ClvFitRequest & { createdBy: string | null },
  progress?: (done: number, total?: number) => Promise<void>,
): Promise<ClvModel> {
  if (fitting) throw alreadyFitting();
  fitting = true;
  try {
    if (deps.database.engine !== 'postgres') return await fitAndScore(deps, input, progress);
    return await deps.db.connection().execute(async (conn) => {
      const lock = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${CLV_FIT_LOCK}) as ok`.execute(
        conn,
      );
      if (!lock.rows[0]?.ok) throw alreadyFitting();
      try {
        return await fitAndScore(deps, input, progress);
      } finally {
        await sql`select pg_advisory_unlock(${CLV_FIT_LOCK})`.execute(conn);
      }
    });
  } finally {
    fitting = false;
  }
}

async function fitAndScore(
  deps: AppDeps,
  input: ClvFitRequest & { createdBy: string | null },
  progress?: (done: number, total?: number) => Promise<void>,
): Promise<ClvModel> {
  const started = Date.now();
  const windows = await resolveWindows(deps.db, input.calibration_end);
  await summariseBuyers(deps.db, windows.calibrationEnd);
  try {
    return await fitOnSummaries(deps, windows, input.createdBy, started, progress);
  } finally {
    await clearBuyerSummaries(deps.db);
  }
}

async function fitOnSummaries(
  deps: AppDeps,
  windows: Windows,
  createdBy: string | null,
  started: number,
  progress?: (done: number, total?: number) => Promise<void>,
): Promise<ClvModel> {
  const rows = await findCalibrationSummaries(deps.db, windows.calibrationEnd);

  const n = rows.length;
  const frequency = {
    x: new Int32Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    weight: new Float64Array(n),
  };
  let customers = 0;
  let repeatCustomers = 0;
  const spendRows = rows.filter((r) => r.x > 0 && r.m !== null && Number(r.m) > 0);
  const spend = {
    x: new Int32Array(spendRows.length),
    m: new Float64Array(spendRows.length),
    weight: new Float64Array(spendRows.length),
  };
  rows.forEach((r, i) => {
    frequency.x[i] = r.x;
    frequency.tx[i] = r.tx_days / 7;
    frequency.T[i] = r.t_days / 7;
    frequency.weight[i] = r.customers;
    customers += r.customers;
    if (r.x > 0) repeatCustomers += r.customers;
  });
  let spendCustomers = 0;
  spendRows.forEach((r, i) => {
    spend.x[i] = r.x;
    spend.m[i] = Number(r.m);
    spend.weight[i] = r.customers;
    spendCustomers += r.customers;
  });
  if (repeatCustomers === 0) {
    throw new AppError(
      'conflict',
      'No customer has bought on a second day within the calibration window, so there is nothing to learn how often customers return from',
    );
  }

  const bgnbd = fitBgNbd(frequency);
  const gg = spendCustomers >= MIN_SPEND_CUSTOMERS ? fitGammaGamma(spend) : null;
  const holdout = holdoutFigures(bgnbd.params, rows, windows);

  const model = await deps.db
    .insertInto('clv_models')
    .values({
      duration_ms: 0,
      created_by: createdBy,
      calibration_start: windows.calibrationStart,
      calibration_end: windows.calibrationEnd,
      observation_end: windows.observationEnd,
      customers,
      repeat_customers: repeatCustomers,
      r: bgnbd.params.r,
      alpha: bgnbd.params.alpha,
      a: bgnbd.params.a,
      b: bgnbd.params.b,
      bgnbd_log_likelihood: bgnbd.logLikelihood,
      bgnbd_iterations: bgnbd.iterations,
      bgnbd_converged: bgnbd.converged,
      p: gg?.params.p ?? null,
      q: gg?.params.q ?? null,
      gamma: gg?.params.gamma ?? null,
      gg_log_likelihood: gg?.logLikelihood ?? null,
      gg_customers: gg ? spendCustomers : null,
      gg_iterations: gg?.iterations ?? null,
      gg_converged: gg?.converged ?? null,
      holdout: holdout ? JSON.stringify(holdout) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const total = await countBuyers(deps.db);
  await progress?.(0, total);
  // buyers are scored on their whole history; the summaries hold it
  const scored = await scoreBuyers(
    deps,
    model.id,
    windows.observationEnd,
    bgnbd.params,
    gg?.params ?? null,
    (done) => progress?.(done, total),
  );
  await dropStalePredictions(deps.db, model.id);
  await deps.db
    .updateTable('clv_models')
    .set({ customers_scored: scored, duration_ms: Date.now() - started })
    .where('id', '=', model.id)
    .execute();
  return toClvModel((await findModelRow(deps.db, model.id)) as ClvModelRow);
}

/** GET /clv/model: the model in use (the newest fit that finished scoring). */
export async function currentModel(db: Kysely<DB>): Promise<ClvModel> {
  const row = await findCurrentModelRow(db);
  if (!row) throw notFound('A fitted customer-value model');
  return toClvModel(row);
}

/** Nightly refit, enqueued once a day by the scheduler (see workers.ts). */
export async function enqueueNightlyFit(db: Kysely<DB>, day: string) {
  const anyOrder = await sql`select 1 from orders limit 1`.execute(db);
  if (anyOrder.rows.length === 0) return;
  await enqueueJob(db, {
    kind: CLV_FIT_JOB,
    runAt: new Date(`${day}T02:00:00Z`),
    dedupeKey: `${CLV_FIT_JOB}@${day}`,
    maxAttempts: 2,
  });
}
