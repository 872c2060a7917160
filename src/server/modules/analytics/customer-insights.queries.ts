import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface InsightsRow {
  orders: number;
  order_days: number;
  /** UTC days as YYYY-MM-DD */
  first_day: string | null;
  last_day: string | null;
  /** Days between consecutive order days. */
  average_gap: string | number | null;
  median_gap: number | null;
  recent_average: string | null;
  earlier_average: string | null;
  day_of_week: number[];
  month_of_year: number[];
  categories: { category: string; orders: number; revenue: number }[];
  products: { product_id: string; sku: string; name: string; quantity: number; orders: number }[];
}

/**
 * Everything the insights read from one customer's kept orders (paid, fulfilled: as the customer
 * metrics count them), in one statement: the orders come from the (customer_id, placed_at) index
 * once, their items from the order_id index. Days, weekdays and months are UTC. Undefined when
 * there is no such customer.
 */
export async function findInsightsRow(db: Kysely<DB>, customerId: string): Promise<InsightsRow | undefined> {
  const result = await sql<InsightsRow>`
    with kept as materialized (
      select o.id, o.total, o.placed_at, o.placed_at at time zone 'UTC' as utc
      from orders o
      where o.customer_id = ${customerId} and o.status in ('paid', 'fulfilled')
    ),
    days as materialized (
      select day, day - lag(day) over (order by day) as gap
      from (select distinct utc::date as day from kept) d
    ),
    halves as (
      select total, row_number() over (order by placed_at, id) as rn, count(*) over () as n from kept
    ),
    items as materialized (
      select oi.order_id, oi.product_id, oi.category, oi.quantity, oi.line_total
      from order_items oi
      where oi.order_id in (select id from kept)
    )
    select
      (select count(*)::int from kept) as orders,
      (select count(*)::int from days) as order_days,
      (select to_char(min(day), 'YYYY-MM-DD') from days) as first_day,
      (select to_char(max(day), 'YYYY-MM-DD') from days) as last_day,
      (select round(avg(gap), 1) from days) as average_gap,
      (select percentile_cont(0.5) within group (order by gap) from days where gap is not null) as median_gap,
      (select avg(total) from halves where rn > n - n / 2) as recent_average,
      (select avg(total) from halves where rn <= n / 2) as earlier_average,
      (select array_agg(coalesce(w.n, 0) order by g.d)
         from generate_series(1, 7) g(d)
         left join (select extract(isodow from utc)::int as d, count(*)::int as n from kept group by 1) w
           on w.d = g.d) as day_of_week,
      (select array_agg(coalesce(m.n, 0) order by g.m)
         from generate_series(1, 12) g(m)
         left join (select extract(month from utc)::int as m, count(*)::int as n from kept group by 1) m
           on m.m = g.m) as month_of_year,
      (select coalesce(json_agg(json_build_object('category', category, 'orders', orders, 'revenue', revenue)
                                order by orders desc, revenue desc, category), '[]')
         from (select category, count(distinct order_id)::int as orders, sum(line_total) as revenue
               from items where category is not null
               group by category
               order by orders desc, revenue desc, category
               limit 5) c) as categories,
      (select coalesce(json_agg(json_build_object('product_id', product_id, 'sku', sku, 'name', name,
                                                  'quantity', quantity, 'orders', orders)
                                order by quantity desc, orders desc, name, sku), '[]')
         from (select p.id as product_id, p.sku, p.name, t.quantity, t.orders
               from (select product_id, sum(quantity)::int as quantity, count(distinct order_id)::int as orders
                     from items group by product_id) t
               join products p on p.id = t.product_id
               order by t.quantity desc, t.orders desc, p.name, p.sku
               limit 5) top) as products
    from customers c
    where c.id = ${customerId}`.execute(db);
  return result.rows[0];
}

/**
 * The model's mean purchase rate per week across customers (BG/NBD r / alpha): what "more often
 * than most customers" is measured against. Null for an unknown model.
 */
export async function findModelWeeklyRate(db: Kysely<DB>, modelId: string): Promise<number | null> {
  const row = await db
    .selectFrom('clv_models')
    .select(['r', 'alpha'])
    .where('id', '=', modelId)
    .executeTakeFirst();
  return row && row.alpha > 0 ? row.r / row.alpha : null;
}
