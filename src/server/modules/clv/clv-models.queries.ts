import type { Kysely } from 'kysely';
import type { ClvModel } from '../../../shared/analytics.js';
import type { DB } from '../../db/schema.js';

function selectModel(db: Kysely<DB>) {
  return db
    .selectFrom('clv_models as m')
    .selectAll('m')
    .select((eb) => [
      eb.cast<string>('m.calibration_start', 'text').as('calibration_start_day'),
      eb.cast<string>('m.calibration_end', 'text').as('calibration_end_day'),
      eb.cast<string>('m.observation_end', 'text').as('observation_end_day'),
    ]);
}

export type ClvModelRow = NonNullable<Awaited<ReturnType<typeof findModelRow>>>;

export function findModelRow(db: Kysely<DB>, id: string) {
  return selectModel(db).where('m.id', '=', id).executeTakeFirst();
}

/** The model in use: the newest fit that finished scoring. */
export function findCurrentModelRow(db: Kysely<DB>) {
  return selectModel(db)
    .where('m.customers_scored', '>', 0)
    .orderBy('m.fitted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function toClvModel(row: ClvModelRow): ClvModel {
  return {
    id: row.id,
    fitted_at: row.fitted_at.toISOString(),
    duration_ms: row.duration_ms,
    calibration_start: row.calibration_start_day,
    calibration_end: row.calibration_end_day,
    observation_end: row.observation_end_day,
    customers: row.customers,
    repeat_customers: row.repeat_customers,
    bgnbd: {
      r: row.r,
      alpha: row.alpha,
      a: row.a,
      b: row.b,
      log_likelihood: row.bgnbd_log_likelihood,
      iterations: row.bgnbd_iterations,
      converged: row.bgnbd_converged,
    },
    gamma_gamma:
      row.p === null || row.q === null || row.gamma === null
        ? null
        : {
            p: row.p,
            q: row.q,
            gamma: row.gamma,
            log_likelihood: row.gg_log_likelihood ?? 0,
            customers: row.gg_customers ?? 0,
            iterations: row.gg_iterations ?? 0,
            converged: row.gg_converged ?? false,
          },
    holdout: (row.holdout as ClvModel['holdout']) ?? null,
    customers_scored: row.customers_scored,
  };
}
