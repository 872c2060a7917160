import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Orders already stored under these external ids, with what decides whether a repeat changed them. */
export async function findOrdersByExternalId(db: Kysely<DB>, externalIds: string[]) {
  if (externalIds.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    external_id: string;
    customer_id: string;
    status: string;
    currency: string;
    total: string;
    placed_at: Date;
    /** [sku, quantity, unit_price as text] of every line, in no particular order */
    lines: [string, number, string][] | null;
  }>`
    select o.id, o.external_id, o.customer_id, o.status, trim(o.currency) as currency, o.total::text as total,
           o.placed_at,
           (select json_agg(json_build_array(i.sku, i.quantity, i.unit_price::text))
              from order_items i where i.order_id = o.id) as lines
    from orders o
    where o.external_id = any(${externalIds}::text[])`.execute(db);
  return rows;
}

export interface NewOrders {
  externalIds: string[];
  customerIds: string[];
  statuses: string[];
  currencies: string[];
  totals: string[];
  itemCounts: number[];
  placedAt: string[];
}

/**
 * Inserts the batch's new orders in one statement. A concurrent batch may have stored the same
 * external id since we looked: that order is skipped here (and reported unchanged).
 */
export async function insertOrders(db: Kysely<DB>, o: NewOrders) {
  if (o.externalIds.length === 0) return [];
  const { rows } = await sql<{ id: string; external_id: string }>`
    insert into orders (external_id, customer_id, status, currency, total, item_count, placed_at)
    select * from unnest(${o.externalIds}::text[], ${o.customerIds}::uuid[], ${o.statuses}::text[],
                         ${o.currencies}::text[], ${o.totals}::numeric[], ${o.itemCounts}::int[],
                         ${o.placedAt}::timestamptz[])
    on conflict (external_id) do nothing
    returning id, external_id`.execute(db);
  return rows;
}

export interface ChangedOrders {
  ids: string[];
  customerIds: string[];
  statuses: string[];
  currencies: string[];
  totals: string[];
  itemCounts: number[];
  placedAt: string[];
}

/** Applies changed repeats in one statement; metrics follow through the orders trigger. */
export async function updateOrders(db: Kysely<DB>, o: ChangedOrders) {
  if (o.ids.length === 0) return;
  await sql`
    update orders set customer_id = u.customer_id, status = u.status, currency = u.currency, total = u.total,
           item_count = u.item_count, placed_at = u.placed_at, version = orders.version + 1, updated_at = now()
    from unnest(${o.ids}::uuid[], ${o.customerIds}::uuid[], ${o.statuses}::text[], ${o.currencies}::text[],
                ${o.totals}::numeric[], ${o.itemCounts}::int[], ${o.placedAt}::timestamptz[])
         as u(id, customer_id, status, currency, total, item_count, placed_at)
    where orders.id = u.id`.execute(db);
}

export interface NewItems {
  orderIds: string[];
  productIds: string[];
  skus: string[];
  names: string[];
  categories: (string | null)[];
  quantities: number[];
  unitPrices: string[];
  lineTotals: string[];
}

/** Replaces the lines of these orders (none for new orders) with the given ones, in two statements. */
export async function replaceItems(db: Kysely<DB>, replacedOrderIds: string[], i: NewItems) {
  if (replacedOrderIds.length > 0) {
    await sql`delete from order_items where order_id = any(${replacedOrderIds}::uuid[])`.execute(db);
  }
  if (i.orderIds.length === 0) return;
  await sql`
    insert into order_items (order_id, product_id, sku, name, category, quantity, unit_price, line_total)
    select * from unnest(${i.orderIds}::uuid[], ${i.productIds}::uuid[], ${i.skus}::text[], ${i.names}::text[],
                         ${i.categories}::text[], ${i.quantities}::int[], ${i.unitPrices}::numeric[],
                         ${i.lineTotals}::numeric[])`.execute(db);
}

/** Creates unknown SKUs and returns every SKU's product, in two statements for the whole batch. */
export async function upsertProductsBySku(
  db: Kysely<DB>,
  products: { sku: string; name: string; category: string | null; price: string }[],
) {
  if (products.length === 0) return [];
  await sql`
    insert into products (sku, name, category, price)
    select * from unnest(${products.map((p) => p.sku)}::text[], ${products.map((p) => p.name)}::text[],
                         ${products.map((p) => p.category)}::text[], ${products.map((p) => p.price)}::numeric[])
    on conflict (sku) do nothing`.execute(db);
  const { rows } = await sql<{ id: string; sku: string; name: string; category: string | null }>`
    select id, sku, name, category from products where sku = any(${products.map((p) => p.sku)}::text[])`.execute(
    db,
  );
  return rows;
}

/** Timeline entries for status changes made by a repeat, in one statement. */
export async function insertStatusEvents(
  db: Kysely<DB>,
  actorId: string | null,
  e: { customerIds: string[]; summaries: string[]; data: string[] },
) {
  if (e.customerIds.length === 0) return;
  await sql`
    insert into customer_events (customer_id, kind, actor_id, summary, data)
    select customer_id, 'order_status_changed', ${actorId}::uuid, summary, data::jsonb
    from unnest(${e.customerIds}::uuid[], ${e.summaries}::text[], ${e.data}::text[]) as t(customer_id, summary, data)`.execute(
    db,
  );
}

/**
 * Batch metrics (migration 024): the orders row trigger stands aside for the rest of this
 * transaction, and refreshCustomerMetrics below does its work once per customer.
 */
export async function deferCustomerMetrics(db: Kysely<DB>) {
  await sql`select set_config('crm.batch_metrics', 'on', true)`.execute(db);
}

/** Metrics and lifecycle stage of these customers from their orders, set-based, then back to per row. */
export async function refreshCustomerMetrics(db: Kysely<DB>, customerIds: string[]) {
  if (customerIds.length > 0) {
    await sql`select crm_refresh_customers_metrics(${customerIds}::uuid[])`.execute(db);
  }
  await sql`select set_config('crm.batch_metrics', 'off', true)`.execute(db);
}
