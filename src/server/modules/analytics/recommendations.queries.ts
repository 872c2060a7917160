import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/** One product a customer has ordered: whether in a kept order, and what they paid for it there. */
export type BoughtRow = {
  product_id: string;
  category: string | null;
  kept: boolean;
  /** Kept orders only: spend and units, for the category's spend and average unit price. */
  spend: string | null;
  units: string | number | null;
};

/** Every product in any of the customer's orders (by the customer's orders index, then items). */
export async function findBoughtProducts(db: Kysely<DB>, customerId: string): Promise<BoughtRow[]> {
  const { rows } = await sql<BoughtRow>`
    select oi.product_id, p.category,
           bool_or(o.status in ('paid', 'fulfilled')) as kept,
           sum(oi.line_total) filter (where o.status in ('paid', 'fulfilled')) as spend,
           sum(oi.quantity) filter (where o.status in ('paid', 'fulfilled')) as units
    from orders o
    join order_items oi on oi.order_id = o.id
    join products p on p.id = oi.product_id
    where o.customer_id = ${customerId}
    group by oi.product_id, p.category`.execute(db);
  return rows;
}

export type CandidateRow = {
  product_id: string;
  sku: string;
  name: string;
  category: string | null;
  price: string;
};

export type CrossSellRow = CandidateRow & {
  because_name: string;
  confidence: number;
  lift: number;
};

/**
 * For each product not in `bought`, the strongest positive rule (lift above 1) from a product in
 * `kept`; the best `limit` by confidence, then lift.
 */
export async function findCrossSells(
  db: Kysely<DB>,
  kept: string[],
  bought: string[],
  limit: number,
): Promise<CrossSellRow[]> {
  const { rows } = await sql<CrossSellRow>`
    select p.id as product_id, p.sku, p.name, p.category, p.price, a.name as because_name, best.confidence, best.lift
    from (
      select distinct on (r.also_product_id) r.also_product_id, r.product_id, r.confidence, r.lift
      from product_affinity r
      where r.product_id = any(${kept}::uuid[]) and r.lift > 1
        and not (r.also_product_id = any(${bought}::uuid[]))
      order by r.also_product_id, r.confidence desc, r.lift desc, r.product_id
    ) best
    join products p on p.id = best.also_product_id
    join products a on a.id = best.product_id
    order by best.confidence desc, best.lift desc, p.sku
    limit ${limit}`.execute(db);
  return rows;
}

export type UpsellRow = CandidateRow & {
  /** Kept orders holding it, and those holding any product of its category (sum over them). */
  orders: number;
  category_orders: string | number | null;
};

/**
 * In each given category, up to `perCategory` products not in `bought` priced above what the
 * customer pays on average there, the most ordered first (then the cheapest step up).
 */
export async function findUpsells(
  db: Kysely<DB>,
  categories: { category: string; averagePrice: number }[],
  bought: string[],
  perCategory: number,
): Promise<UpsellRow[]> {
  if (categories.length === 0) return [];
  const { rows } = await sql<UpsellRow>`
    select product_id, sku, name, category, price, orders, category_orders from (
      select p.id as product_id, p.sku, p.name, p.category, p.price, coalesce(c.orders, 0) as orders,
             t.category_orders,
             row_number() over (partition by p.category
                                order by coalesce(c.orders, 0) desc, p.price, p.sku) as rank
      from unnest(${categories.map((c) => c.category)}::text[], ${categories.map((c) => c.averagePrice)}::numeric[])
        as k (category, average_price)
      cross join lateral (
        select sum(c2.orders) as category_orders
        from products p2 join product_order_counts c2 on c2.product_id = p2.id
        where p2.category = k.category) t
      join products p on p.category = k.category and p.price > k.average_price
      left join product_order_counts c on c.product_id = p.id
      where not (p.id = any(${bought}::uuid[]))
    ) ranked
    where rank <= ${perCategory}`.execute(db);
  return rows;
}

export type PopularRow = CandidateRow & { orders: number };

/** The most ordered products (kept orders) not in `bought`. */
export async function findPopular(db: Kysely<DB>, bought: string[], limit: number): Promise<PopularRow[]> {
  const { rows } = await sql<PopularRow>`
    select p.id as product_id, p.sku, p.name, p.category, p.price, c.orders
    from product_order_counts c
    join products p on p.id = c.product_id
    where not (c.product_id = any(${bought}::uuid[]))
    order by c.orders desc, p.sku
    limit ${limit}`.execute(db);
  return rows;
}
