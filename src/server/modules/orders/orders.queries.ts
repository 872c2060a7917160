import { type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Cursor } from '../../platform/cursor.js';

export const orderColumns = [
  'o.id',
  'o.customer_id',
  'o.external_id',
  'o.status',
  'o.currency',
  'o.total',
  'o.item_count',
  'o.placed_at',
  'o.created_at',
  'o.updated_at',
  'o.version',
] as const;

/** Newest first by (placed_at, id); `placed_key` is the exact text value for the next cursor. */
export function findOrderPage(
  db: Kysely<DB>,
  filter: { customer_id?: string | undefined; status?: string | undefined },
  limit: number,
  cursor: Cursor | null,
) {
  let q = db
    .selectFrom('orders as o')
    .select(orderColumns)
    .select(sql<string>`o.placed_at::text`.as('placed_key'));
  if (filter.customer_id) q = q.where('o.customer_id', '=', filter.customer_id);
  if (filter.status) q = q.where('o.status', '=', filter.status as 'paid');
  if (cursor) q = q.where(sql<SqlBool>`(o.placed_at, o.id) < (${cursor.v}::timestamptz, ${cursor.id}::uuid)`);
  return q
    .orderBy('o.placed_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit + 1)
    .execute();
}

export function findOrder(db: Kysely<DB>, id: string) {
  return db.selectFrom('orders as o').select(orderColumns).where('o.id', '=', id).executeTakeFirst();
}

export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

export function findItems(db: Kysely<DB>, orderIds: string[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_items')
    .select([
      'id',
      'order_id',
      'product_id',
      'sku',
      'name',
      'category',
      'quantity',
      'unit_price',
      'line_total',
    ])
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('sku')
    .execute();
}
export type ItemRow = Awaited<ReturnType<typeof findItems>>[number];

/** Creates missing products (unknown SKUs) and returns every SKU's product. */
export async function upsertProducts(
  db: Kysely<DB>,
  items: { sku: string; name?: string | undefined; category?: string | undefined; unit_price: number }[],
) {
  const bySku = new Map(items.map((i) => [i.sku, i]));
  await db
    .insertInto('products')
    .values(
      [...bySku.values()].map((i) => ({
        sku: i.sku,
        name: i.name ?? i.sku,
        category: i.category ?? null,
        price: i.unit_price,
      })),
    )
    .onConflict((oc) => oc.column('sku').doNothing())
    .execute();
  return db
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'category'])
    .where('sku', 'in', [...bySku.keys()])
    .execute();
}
