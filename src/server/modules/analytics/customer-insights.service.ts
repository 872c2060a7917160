import type { Kysely } from 'kysely';
import { type CustomerInsights, type CustomerPrediction, churnRiskOf } from '../../../shared/analytics.js';
import type { DB } from '../../db/schema.js';
import { addDays, daysBetween } from '../../platform/dates.js';
import { notFound } from '../../platform/errors.js';
import { type PredictionRow, findPrediction } from '../clv/predictions.service.js';
import { type InsightsRow, findInsightsRow, findModelWeeklyRate } from './customer-insights.queries.js';
import { predictionReasons, spendTrendOf } from './customer-insights.reasons.js';

/**
 * One customer's order patterns and, once a model is fitted, their prediction with its reasons.
 * Read in one read-only snapshot so the patterns and the prediction describe the same orders.
 */
export async function customerInsights(
  db: Kysely<DB>,
  customerId: string,
  now: Date = new Date(),
): Promise<CustomerInsights> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const row = await findInsightsRow(trx, customerId);
      if (!row) throw notFound('Customer');
      const insights = toInsights(customerId, row);
      const prediction = await findPrediction(trx, customerId);
      if (prediction) {
        const rate = await findModelWeeklyRate(trx, prediction.model_id);
        insights.prediction = toPrediction(insights, prediction, rate, now);
      }
      return insights;
    });
}

function toInsights(customerId: string, row: InsightsRow): CustomerInsights {
  const median = row.median_gap === null ? null : Number(row.median_gap);
  return {
    customer_id: customerId,
    orders: row.orders,
    order_days: row.order_days,
    first_order_date: row.first_day,
    last_order_date: row.last_day,
    average_days_between_orders: row.average_gap === null ? null : Number(row.average_gap),
    median_days_between_orders: median,
    // the last order day plus their median interval, in whole days (a half day rounds up)
    next_expected_order_date:
      row.last_day === null || median === null ? null : addDays(row.last_day, Math.round(median)),
    favourite_categories: row.categories.map((c) => ({ ...c, revenue: Number(c.revenue) })),
    favourite_products: row.products,
    day_of_week: row.day_of_week.map(Number),
    month_of_year: row.month_of_year.map(Number),
    spend_trend: spendTrendOf(
      row.orders,
      row.recent_average === null ? null : Number(row.recent_average),
      row.earlier_average === null ? null : Number(row.earlier_average),
    ),
    prediction: null,
  };
}

function toPrediction(
  insights: CustomerInsights,
  p: PredictionRow,
  populationWeeklyRate: number | null,
  now: Date,
): CustomerPrediction {
  const last = insights.last_order_date;
  return {
    p_alive: p.p_alive,
    churn_risk: churnRiskOf(p.p_alive),
    expected_purchases_90d: p.expected_purchases_90d,
    expected_purchases_365d: p.expected_purchases_365d,
    expected_order_value: p.expected_order_value,
    predicted_value_12m: p.predicted_value,
    reasons: predictionReasons({
      orders: insights.orders,
      orderDays: insights.order_days,
      daysSinceLastOrder: last === null ? 0 : daysBetween(last, now.toISOString().slice(0, 10)),
      medianDaysBetweenOrders: insights.median_days_between_orders,
      spendTrend: insights.spend_trend,
      frequency: p.frequency,
      ageWeeks: p.age_weeks,
      populationWeeklyRate,
      expectedPurchases365d: p.expected_purchases_365d,
      expectedOrderValue: p.expected_order_value,
      predictedValue12m: p.predicted_value,
    }),
    model_id: p.model_id,
    model_fitted_at: p.model_fitted_at.toISOString(),
  };
}
