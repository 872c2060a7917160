import { z } from 'zod';

/**
 * Customer analytics: the customer-base model (BG/NBD + Gamma-Gamma), per-customer insights and
 * recommendations, retention cohorts, churn, product affinity and the overview. Shapes shared by
 * the server routes and the web app.
 */

const isoDate = z.iso.date('Use a date as YYYY-MM-DD');

// ---- customer-base model -------------------------------------------------------------------

export const clvFitRequestSchema = z.object({
  /** Last day of the calibration window; the days after it, to the data's end, are the holdout. */
  calibration_end: isoDate.optional(),
});
export type ClvFitRequest = z.infer<typeof clvFitRequestSchema>;

/** One bar pair of the calibration chart: customers with `repeat_purchases` repeat transactions. */
export const holdoutGroupSchema = z.object({
  /** Repeat transactions in the calibration window; the last group is "this many or more". */
  repeat_purchases: z.number().int(),
  or_more: z.boolean(),
  customers: z.number().int(),
  /** Average transactions per customer in the holdout window, predicted by the model and actual. */
  predicted: z.number(),
  actual: z.number(),
});

export const clvModelSchema = z.object({
  id: z.string(),
  fitted_at: z.string(),
  duration_ms: z.number(),
  /** The windows, as dates (UTC days). Times in the model are weeks. */
  calibration_start: z.string(),
  calibration_end: z.string(),
  observation_end: z.string(),
  /** Customers with a kept order in the calibration window, and those with a repeat purchase. */
  customers: z.number().int(),
  repeat_customers: z.number().int(),
  bgnbd: z.object({
    r: z.number(),
    alpha: z.number(),
    a: z.number(),
    b: z.number(),
    log_likelihood: z.number(),
    iterations: z.number().int(),
    converged: z.boolean(),
  }),
  /** Null when too few customers bought twice to fit spend. */
  gamma_gamma: z
    .object({
      p: z.number(),
      q: z.number(),
      gamma: z.number(),
      log_likelihood: z.number(),
      customers: z.number().int(),
      iterations: z.number().int(),
      converged: z.boolean(),
    })
    .nullable(),
  /** Null when the calibration window runs to the end of the data (nothing held out). */
  holdout: z
    .object({
      weeks: z.number(),
      /** Transactions in the holdout window by the calibration customers: predicted and actual. */
      predicted_transactions: z.number(),
      actual_transactions: z.number(),
      groups: z.array(holdoutGroupSchema),
    })
    .nullable(),
  /** Customers scored with this model (customer_value and churn risk). */
  customers_scored: z.number().int(),
});
export type ClvModel = z.infer<typeof clvModelSchema>;

/** POST /clv/fit: the model at once when the shop is small, else a job to follow. */
export const clvFitReplySchema = z.union([
  z.object({ status: z.literal('fitted'), model: clvModelSchema }),
  z.object({ status: z.literal('queued'), job_id: z.string(), status_url: z.string() }),
]);
export type ClvFitReply = z.infer<typeof clvFitReplySchema>;

export const churnRisks = ['low', 'medium', 'high'] as const;
export type ChurnRisk = (typeof churnRisks)[number];

/** Churn risk from the probability a customer is still active: the one place the bands live. */
export function churnRiskOf(pAlive: number): ChurnRisk {
  if (pAlive >= 0.7) return 'low';
  if (pAlive >= 0.4) return 'medium';
  return 'high';
}

/** One customer's prediction from the current model. */
export const customerPredictionSchema = z.object({
  /** Probability the customer is still active (BG/NBD P(alive)). */
  p_alive: z.number(),
  churn_risk: z.enum(churnRisks),
  expected_purchases_90d: z.number(),
  expected_purchases_365d: z.number(),
  /** Expected spend per order (Gamma-Gamma), null without a spend model. */
  expected_order_value: z.number().nullable(),
  /** Predicted 12-month value: `customer_value`. */
  predicted_value_12m: z.number(),
  /** Plain-words reasons: recency against their usual interval, frequency, spend trend. */
  reasons: z.array(z.string()),
  model_id: z.string(),
  model_fitted_at: z.string(),
});
export type CustomerPrediction = z.infer<typeof customerPredictionSchema>;

// ---- per customer ---------------------------------------------------------------------------

export const spendTrends = ['rising', 'falling', 'steady', 'unknown'] as const;

/** GET /api/crm/customers/:id/insights */
export const customerInsightsSchema = z.object({
  customer_id: z.string(),
  /** Kept orders (paid, fulfilled) and distinct order days. */
  orders: z.number().int(),
  order_days: z.number().int(),
  first_order_date: z.string().nullable(),
  last_order_date: z.string().nullable(),
  average_days_between_orders: z.number().nullable(),
  median_days_between_orders: z.number().nullable(),
  next_expected_order_date: z.string().nullable(),
  favourite_categories: z.array(
    z.object({ category: z.string(), orders: z.number().int(), revenue: z.number() }),
  ),
  favourite_products: z.array(
    z.object({
      product_id: z.string(),
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      orders: z.number().int(),
    }),
  ),
  /** Orders per weekday, Monday first (7 numbers), and per calendar month, January first (12). */
  day_of_week: z.array(z.number().int()),
  month_of_year: z.array(z.number().int()),
  spend_trend: z.object({
    direction: z.enum(spendTrends),
    /** Average order value of the later half of their orders against the earlier half. */
    recent_average: z.number().nullable(),
    earlier_average: z.number().nullable(),
    change_pct: z.number().nullable(),
  }),
  /** Null until a model has been fitted (or the customer has no kept order). */
  prediction: customerPredictionSchema.nullable(),
});
export type CustomerInsights = z.infer<typeof customerInsightsSchema>;

export const recommendationKinds = ['cross_sell', 'upsell', 'popular'] as const;

/** GET /api/crm/customers/:id/recommendations */
export const recommendationsSchema = z.object({
  customer_id: z.string(),
  data: z.array(
    z.object({
      product_id: z.string(),
      sku: z.string(),
      name: z.string(),
      category: z.string().nullable(),
      price: z.number(),
      kind: z.enum(recommendationKinds),
      score: z.number(),
      reason: z.string(),
    }),
  ),
});
export type Recommendations = z.infer<typeof recommendationsSchema>;

// ---- shop-wide ------------------------------------------------------------------------------

export const cohortsQuerySchema = z.object({
  /** First acquisition month (YYYY-MM); default twelve months back. */
  from: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use a month as YYYY-MM')
    .optional(),
  months: z.coerce.number().int().min(1).max(36).default(12),
});

/** GET /api/crm/analytics/cohorts: customers by month of first kept order. */
export const cohortsSchema = z.object({
  cohorts: z.array(
    z.object({
      /** YYYY-MM */
      cohort: z.string(),
      customers: z.number().int(),
      revenue: z.number(),
      /** Share of the cohort ordering in month 1, 2, ... after their first (up to today). */
      retention: z.array(z.number()),
      /** Share of the cohort that ever ordered again. */
      repeat_rate: z.number(),
    }),
  ),
  repeat_purchase_rate: z.number(),
});
export type Cohorts = z.infer<typeof cohortsSchema>;

export const churnQuerySchema = z.object({
  months: z.coerce.number().int().min(1).max(36).default(12),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

/** GET /api/crm/analytics/churn */
export const churnSchema = z.object({
  /** A customer counts as churned once `inactive_days` pass without a kept order. */
  inactive_days: z.number().int(),
  repeat_purchase_rate: z.number(),
  over_time: z.array(
    z.object({
      month: z.string(),
      /** Customers active at the start of the month, and those of them who churned in it. */
      active_at_start: z.number().int(),
      churned: z.number().int(),
      churn_rate: z.number(),
    }),
  ),
  revenue_by_cohort: z.array(
    z.object({ cohort: z.string(), customers: z.number().int(), revenue: z.number() }),
  ),
  /** Most valuable to win back: high past value, low probability still active. */
  win_back: z.array(
    z.object({
      customer_id: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      lifetime_value: z.number(),
      total_orders: z.number().int(),
      last_order_date: z.string().nullable(),
      p_alive: z.number().nullable(),
      /** Value the shop stands to lose: lifetime value × (1 − P(alive)). */
      value_at_risk: z.number(),
    }),
  ),
  value_at_risk_total: z.number(),
});
export type Churn = z.infer<typeof churnSchema>;

export const affinityQuerySchema = z.object({
  product_id: z.uuid().optional(),
  min_support: z.coerce.number().min(0).max(1).default(0),
  sort: z.enum(['lift', 'confidence', 'support']).default('lift'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** GET /api/crm/analytics/products/affinity: "bought A, also bought B" rules. */
export const affinitySchema = z.object({
  computed_at: z.string().nullable(),
  /** Orders (baskets) the rules were counted over. */
  orders: z.number().int(),
  rules: z.array(
    z.object({
      product: z.object({ id: z.string(), sku: z.string(), name: z.string() }),
      also_bought: z.object({ id: z.string(), sku: z.string(), name: z.string() }),
      /** Orders holding both. */
      orders_together: z.number().int(),
      support: z.number(),
      confidence: z.number(),
      lift: z.number(),
    }),
  ),
});
export type Affinity = z.infer<typeof affinitySchema>;

export const overviewQuerySchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from must be on or before to',
    path: ['from'],
  });

const kpi = z.object({ value: z.number(), previous: z.number(), change_pct: z.number().nullable() });

/** GET /api/crm/analytics/overview: a period (default the last 30 days) against the one before. */
export const overviewSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  previous_period: z.object({ from: z.string(), to: z.string() }),
  kpis: z.object({
    customers: kpi,
    new_customers: kpi,
    active_customers: kpi,
    revenue: kpi,
    orders: kpi,
    average_order_value: kpi,
    repeat_rate: kpi,
    churn_rate: kpi,
  }),
  /** Revenue per day of the period, for the trend line. */
  revenue_by_day: z.array(z.object({ date: z.string(), revenue: z.number(), orders: z.number().int() })),
  /** Customers by predicted 12-month value (customer_value) band. */
  value_distribution: z.array(
    z.object({ band: z.string(), min: z.number(), max: z.number().nullable(), customers: z.number().int() }),
  ),
});
export type Overview = z.infer<typeof overviewSchema>;
