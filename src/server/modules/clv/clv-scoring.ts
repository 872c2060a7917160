import type { ClvModel } from '../../../shared/analytics.js';
import type { AppDeps } from '../../platform/deps.js';
import { daysBetween } from '../../platform/dates.js';
import { type BgNbdParams, expectedPurchases, probabilityAlive } from './bgnbd.js';
import {
  type BuyerSummary,
  type findCalibrationSummaries,
  findBuyerSummaries,
  type PredictionBatch,
  savePredictions,
} from './clv.queries.js';
import type { Windows } from './clv.service.js';
import { expectedOrderValue, type GammaGammaParams } from './gamma-gamma.js';

/** The model applied: the holdout check of a fit, and every buyer's prediction. */

const SCORE_BATCH = 10_000;
/** The calibration chart groups customers by 0, 1, ... repeat purchases, the last "or more". */
const CHART_GROUPS = 7;

/** Predicted against actual holdout transactions of the calibration customers, by past repeats. */
export function holdoutFigures(
  params: BgNbdParams,
  rows: Awaited<ReturnType<typeof findCalibrationSummaries>>,
  windows: Windows,
): ClvModel['holdout'] {
  const days = daysBetween(windows.calibrationEnd, windows.observationEnd);
  if (days <= 0) return null;
  const weeks = days / 7;
  const groups = Array.from({ length: CHART_GROUPS + 1 }, (_, k) => ({
    repeat_purchases: k,
    or_more: k === CHART_GROUPS,
    customers: 0,
    predicted: 0,
    actual: 0,
  }));
  let predicted = 0;
  let actual = 0;
  for (const r of rows) {
    const g = groups[Math.min(r.x, CHART_GROUPS)]!;
    const expected = expectedPurchases(params, weeks, r.x, r.tx_days / 7, r.t_days / 7) * r.customers;
    g.customers += r.customers;
    g.predicted += expected;
    g.actual += r.holdout;
    predicted += expected;
    actual += r.holdout;
  }
  return {
    weeks,
    predicted_transactions: predicted,
    actual_transactions: actual,
    // per-customer averages, as the calibration chart of the paper draws them
    groups: groups
      .filter((g) => g.customers > 0)
      .map((g) => ({ ...g, predicted: g.predicted / g.customers, actual: g.actual / g.customers })),
  };
}

/**
 * Scores every buyer on their whole history, a slice at a time. On PostgreSQL two slices are
 * written at once: the writes (predictions, and customer_metrics.customer_value) are the slow
 * part, and each slice's customers are its own, so the two never wait on each other.
 */
export async function scoreBuyers(
  deps: AppDeps,
  modelId: string,
  observationEnd: string,
  params: BgNbdParams,
  spendParams: GammaGammaParams | null,
  onProgress: (done: number) => Promise<void> | undefined,
): Promise<number> {
  const parallel = deps.database.engine === 'postgres' ? 2 : 1;
  const writing = new Set<Promise<void>>();
  let after: string | null = null;
  let done = 0;
  try {
    for (;;) {
      const slice = await findBuyerSummaries(deps.db, observationEnd, after, SCORE_BATCH);
      if (slice.length === 0) break;
      after = slice[slice.length - 1]!.customer_id;
      const write: Promise<void> = savePredictions(
        deps.db,
        modelId,
        predict(slice, params, spendParams),
      ).then(async () => {
        writing.delete(write);
        done += slice.length;
        await onProgress(done);
      });
      writing.add(write);
      if (writing.size >= parallel) await Promise.race(writing);
    }
    await Promise.all(writing);
  } catch (err) {
    // let the other slice finish (or fail) before the fit reports its error
    await Promise.allSettled(writing);
    throw err;
  }
  return done;
}

function predict(
  slice: BuyerSummary[],
  params: BgNbdParams,
  spendParams: GammaGammaParams | null,
): PredictionBatch {
  const batch: PredictionBatch = {
    customerIds: [],
    frequency: [],
    recencyWeeks: [],
    ageWeeks: [],
    pAlive: [],
    expected90: [],
    expected365: [],
    expectedOrderValue: [],
    predictedValue: [],
  };
  for (const s of slice) {
    const tx = s.tx_days / 7;
    const T = s.t_days / 7;
    const totalSpend = Number(s.spend);
    const repeatMean = s.x > 0 ? (totalSpend - Number(s.first_spend)) / s.x : 0;
    const eov = spendParams ? expectedOrderValue(spendParams, s.x, repeatMean) : null;
    const e365 = expectedPurchases(params, 365 / 7, s.x, tx, T);
    batch.customerIds.push(s.customer_id);
    batch.frequency.push(s.x);
    batch.recencyWeeks.push(tx);
    batch.ageWeeks.push(T);
    batch.pAlive.push(probabilityAlive(params, s.x, tx, T));
    batch.expected90.push(expectedPurchases(params, 90 / 7, s.x, tx, T));
    batch.expected365.push(e365);
    batch.expectedOrderValue.push(eov);
    // without a spend model, their own average per order day stands in for it
    batch.predictedValue.push(e365 * (eov ?? totalSpend / (s.x + 1)));
  }
  return batch;
}
