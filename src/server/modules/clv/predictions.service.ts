import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** One customer's numbers from the newest customer-value model (what insights and churn read). */
export interface PredictionRow {
  customer_id: string;
  model_id: string;
  model_fitted_at: Date;
  /** Repeat transactions (order days after the first), weeks first→last, weeks first→observation end. */
  frequency: number;
  recency_weeks: number;
  age_weeks: number;
  p_alive: number;
  expected_purchases_90d: number;
  expected_purchases_365d: number;
  expected_order_value: number | null;
  predicted_value: number;
}

/** The customer's prediction, or undefined before the first fit or without a kept order. */
export async function findPrediction(db: Kysely<DB>, customerId: string): Promise<PredictionRow | undefined> {
  const row = await db
    .selectFrom('customer_predictions as p')
    .innerJoin('clv_models as m', 'm.id', 'p.model_id')
    .select([
      'p.customer_id',
      'p.model_id',
      'm.fitted_at as model_fitted_at',
      'p.frequency',
      'p.recency_weeks',
      'p.age_weeks',
      'p.p_alive',
      'p.expected_purchases_90d',
      'p.expected_purchases_365d',
      'p.expected_order_value',
      'p.predicted_value',
    ])
    .where('p.customer_id', '=', customerId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...row,
    expected_order_value: row.expected_order_value === null ? null : Number(row.expected_order_value),
    predicted_value: Number(row.predicted_value),
  };
}
