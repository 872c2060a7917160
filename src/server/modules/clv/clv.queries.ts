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
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('total_orders', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * One row per distinct calibration summary, with how many customers share it: x (repeat order
 * days up to calibration end), t_x and T in days from the first order day, m (average value of
 * the repeat order days, for Gamma-Gamma; null without one) and their order days in the holdout.
 * Grouping makes the fit's input smaller than one row per customer; the work is one pass over
 * the orders in SQL.
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
    with days as (
      select o.customer_id, ${ORDER_DAY} as day, sum(o.total) as spend
      from orders o where ${KEPT}
      group by 1, 2
    ), c as (
      select customer_id,
             min(day) as first_day,
             count(*) filter (where day <= ${calibrationEnd}::date) - 1 as x,
             max(day) filter (where day <= ${calibrationEnd}::date) as last_day,
             sum(spend) filter (where day <= ${calibrationEnd}::date) as spend,
             count(*) filter (where day > ${calibrationEnd}::date) as holdout,
             -- the first day's spend, without a sort: min over [day number, spend] pairs
             (min(array[(day - date '2000-01-01')::numeric, spend]))[2] as first_spend
      from days group by customer_id
    )
    select x::int as x,
           (last_day - first_day)::int as tx_days,
           (${calibrationEnd}::date - first_day)::int as t_days,
           case when x > 0 then round((spend - first_spend) / x, 2)::text end as m,
           count(*)::int as customers,
           sum(holdout)::int as holdout
    from c
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

/**
 * The next `limit` buyers after `after` (by id) with their whole-history summary at observation
 * end: the scoring pass, a slice at a time through the orders (customer, placed_at) index.
 */
export async function findBuyerSummaries(
  db: Kysely<DB>,
  observationEnd: string,
  after: string | null,
  limit: number,
): Promise<BuyerSummary[]> {
  const { rows } = await sql<BuyerSummary>`
    with ids as (
      select id from customers
      where total_orders > 0 and (${after}::uuid is null or id > ${after}::uuid)
      order by id limit ${limit}
    ), days as (
      select o.customer_id, ${ORDER_DAY} as day, sum(o.total) as spend
      from ids join orders o on o.customer_id = ids.id
      where ${KEPT}
      group by 1, 2
    )
    select customer_id,
           (count(*) - 1)::int as x,
           (max(day) - min(day))::int as tx_days,
           greatest(${observationEnd}::date - min(day), 0)::int as t_days,
           sum(spend)::text as spend,
           ((min(array[(day - date '2000-01-01')::numeric, spend]))[2])::text as first_spend
    from days group by customer_id
    order by customer_id`.execute(db);
  return rows;
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
 * Stores a slice of predictions and copies the predicted value to customers.customer_value
 * (only where it changed, so unchanged customers are not rewritten), in one statement.
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
    update customers c set customer_value = round(p.value, 2)
    from p
    where c.id = p.customer_id and c.customer_value is distinct from round(p.value, 2)`.execute(db);
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
    update customers c set customer_value = 0
    from gone where c.id = gone.customer_id and c.customer_value <> 0`.execute(db);
}
