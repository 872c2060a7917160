import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

// Kept orders (paid, fulfilled) are the purchases, as the customer metrics count them. A
// transaction is a customer's order day (UTC): several orders on one day are one purchase.
const KEPT = sql`o.status in ('paid', 'fulfilled')`;
const ORDER_DAY = sql`(o.placed_at at time zone 'UTC')::date`;

/** First and last day with a kept order: the data's span. */
export async function findOrderSpan(db: Kysely<DB>): Promise<{ first: string; last: string } | undefined> {
  // each end read from the placed_at index rather than by scanning every order
  const { rows } = await sql<{ first: string | null; last: string | null }>`
    select
      (select ${ORDER_DAY}::text from orders o where ${KEPT} order by o.placed_at asc limit 1) as first,
      (select ${ORDER_DAY}::text from orders o where ${KEPT} order by o.placed_at desc limit 1) as last`.execute(
    db,
  );
  const row = rows[0];
  return row?.first && row.last ? { first: row.first, last: row.last } : undefined;
}

/** Customers with a kept order: decides between fitting at once and a background job. */
export async function countBuyers(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('customer_metrics')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('total_orders', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Fills the fit's working table: one row per buyer with their order days (a transaction is a
 * customer's order day, UTC) and spend, in total and up to the calibration end. One pass over the
 * orders in SQL; everything after reads this table by key.
 */
export async function summariseBuyers(db: Kysely<DB>, calibrationEnd: string): Promise<void> {
  await sql`truncate clv_buyer_summaries`.execute(db);
  await sql`
    insert into clv_buyer_summaries (customer_id, first_day, last_day, order_days, spend, first_spend,
      calibration_order_days, calibration_last_day, calibration_spend)
    with days as (
      select o.customer_id, ${ORDER_DAY} as day, sum(o.total) as spend
      from orders o where ${KEPT}
      group by 1, 2
    )
    select customer_id, min(day), max(day), count(*), sum(spend),
           -- the first day's spend, without a sort: min over [day number, spend] pairs
           (min(array[(day - date '2000-01-01')::numeric, spend]))[2],
           count(*) filter (where day <= ${calibrationEnd}::date),
           max(day) filter (where day <= ${calibrationEnd}::date),
           coalesce(sum(spend) filter (where day <= ${calibrationEnd}::date), 0)
    from days group by customer_id`.execute(db);
}

/**
 * One row per distinct calibration summary, with how many customers share it: x (repeat order
 * days up to calibration end), t_x and T in days from the first order day, m (average value of
 * the repeat order days, for Gamma-Gamma; null without one) and their order days in the holdout.
 * Grouping makes the fit's input smaller than one row per customer.
 */
export async function findCalibrationSummaries(db: Kysely<DB>, calibrationEnd: string) {
  const { rows } = await sql<{
    x: number;
    tx_days: number;
    t_days: number;
    m: string | null;
    customers: number;
    holdout: number;
  }>`
    select calibration_order_days - 1 as x,
           calibration_last_day - first_day as tx_days,
           ${calibrationEnd}::date - first_day as t_days,
           case when calibration_order_days > 1
                then round((calibration_spend - first_spend) / (calibration_order_days - 1), 2)::text end as m,
           count(*)::int as customers,
           sum(order_days - calibration_order_days)::int as holdout
    from clv_buyer_summaries
    where first_day <= ${calibrationEnd}::date
    group by 1, 2, 3, 4`.execute(db);
  return rows;
}

export interface BuyerSummary {
  customer_id: string;
  x: number;
  tx_days: number;
  t_days: number;
  spend: string;
  first_spend: string;
}

/** The next `limit` buyers after `after` (by id) with their whole-history summary at observation end. */
export async function findBuyerSummaries(
  db: Kysely<DB>,
  observationEnd: string,
  after: string | null,
  limit: number,
): Promise<BuyerSummary[]> {
  const { rows } = await sql<BuyerSummary>`
    select customer_id, order_days - 1 as x, last_day - first_day as tx_days,
           greatest(${observationEnd}::date - first_day, 0) as t_days,
           spend::text as spend, first_spend::text as first_spend
    from clv_buyer_summaries
    where ${after}::uuid is null or customer_id > ${after}::uuid
    order by customer_id
    limit ${limit}`.execute(db);
  return rows;
}

/** The working table is emptied after a fit: it is only scaffolding. */
export async function clearBuyerSummaries(db: Kysely<DB>): Promise<void> {
  await sql`truncate clv_buyer_summaries`.execute(db);
}

export interface PredictionBatch {
  customerIds: string[];
  frequency: number[];
  recencyWeeks: number[];
  ageWeeks: number[];
  pAlive: number[];
  expected90: number[];
  expected365: number[];
  expectedOrderValue: (number | null)[];
  predictedValue: number[];
}

/**
 * customer_metrics.customer_value follows the prediction once it moves by more than this share
 * (or by a cent, for small values). Rewriting a metrics row costs an entry in each of its six
 * indexes, and a nightly refit nudges nearly every prediction by a little as each customer ages a
 * day: this keeps the refit to the customers whose value really moved. The exact figure is always
 * in customer_predictions.
 */
export const VALUE_TOLERANCE = 0.005;

/**
 * Stores a slice of predictions and copies the predicted value to customer_metrics.customer_value where
 * it moved (see VALUE_TOLERANCE), in one statement.
 */
export async function savePredictions(db: Kysely<DB>, modelId: string, b: PredictionBatch) {
  await sql`
    with p as (
      select * from unnest(
        ${b.customerIds}::uuid[], ${b.frequency}::int[], ${b.recencyWeeks}::float8[], ${b.ageWeeks}::float8[],
        ${b.pAlive}::float8[], ${b.expected90}::float8[], ${b.expected365}::float8[],
        ${b.expectedOrderValue}::numeric[], ${b.predictedValue}::numeric[]
      ) as t(customer_id, frequency, recency_weeks, age_weeks, p_alive, e90, e365, eov, value)
    ), saved as (
      insert into customer_predictions as cp (customer_id, model_id, frequency, recency_weeks, age_weeks,
        p_alive, expected_purchases_90d, expected_purchases_365d, expected_order_value, predicted_value, scored_at)
      select customer_id, ${modelId}::uuid, frequency, recency_weeks, age_weeks, p_alive, e90, e365,
             round(eov, 2), round(value, 2), now()
      from p
      on conflict (customer_id) do update set
        model_id = excluded.model_id, frequency = excluded.frequency, recency_weeks = excluded.recency_weeks,
        age_weeks = excluded.age_weeks, p_alive = excluded.p_alive,
        expected_purchases_90d = excluded.expected_purchases_90d,
        expected_purchases_365d = excluded.expected_purchases_365d,
        expected_order_value = excluded.expected_order_value, predicted_value = excluded.predicted_value,
        scored_at = excluded.scored_at
    )
    update customer_metrics m set customer_value = round(p.value, 2)
    from p
    where m.customer_id = p.customer_id
      and abs(m.customer_value - round(p.value, 2)) >= greatest(0.01, ${VALUE_TOLERANCE} * abs(round(p.value, 2)))`.execute(
    db,
  );
}

/**
 * After a scoring pass: customers scored by an older model no longer have a kept order (refunds,
 * erasure of orders), so their prediction goes and their predicted value returns to 0.
 */
export async function dropStalePredictions(db: Kysely<DB>, modelId: string): Promise<void> {
  await sql`
    with gone as (
      delete from customer_predictions where model_id <> ${modelId}::uuid returning customer_id
    )
    update customer_metrics m set customer_value = 0
    from gone where m.customer_id = gone.customer_id and m.customer_value <> 0`.execute(db);
}
