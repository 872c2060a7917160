import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export type AffinityRunRow = {
  id: string;
  computed_at: Date;
  duration_ms: number;
  orders: number;
  products: number;
  rules: number;
  min_orders: number;
};

/** Recounts every product pair from the kept orders (migration 022) and returns the run. */
export async function recomputeAffinityRows(
  db: Kysely<DB>,
  minOrders: number,
  createdBy: string | null,
): Promise<AffinityRunRow> {
  const { rows } = await sql<AffinityRunRow>`
    select id, computed_at, duration_ms, orders, products, rules, min_orders
    from crm_recompute_product_affinity(${minOrders}::int, ${createdBy}::uuid)`.execute(db);
  return rows[0]!;
}

/** Makes concurrent recomputes wait for each other (the function takes the same lock). */
export async function lockAffinityRuns(db: Kysely<DB>): Promise<void> {
  await sql`lock table product_affinity_runs in share row exclusive mode`.execute(db);
}

export function findLatestRun(db: Kysely<DB>): Promise<AffinityRunRow | undefined> {
  return db
    .selectFrom('product_affinity_runs')
    .select(['id', 'computed_at', 'duration_ms', 'orders', 'products', 'rules', 'min_orders'])
    .orderBy('computed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Kept orders, counted only up to `limit + 1`: enough to tell a small shop from a large one. */
export async function countKeptOrdersUpTo(db: Kysely<DB>, limit: number): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`
    select count(*) as n from (
      select 1 from orders where status in ('paid', 'fulfilled') limit ${limit + 1}) o`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export type AffinitySort = 'lift' | 'confidence' | 'support';

export type AffinityRuleRow = {
  product_id: string;
  product_sku: string;
  product_name: string;
  also_id: string;
  also_sku: string;
  also_name: string;
  orders_together: number;
  support: number;
  confidence: number;
  lift: number;
};

/** The strongest rules by `sort`, ties broken by the other two measures, then by SKU. */
export function findRules(
  db: Kysely<DB>,
  q: { productId?: string | undefined; minSupport: number; sort: AffinitySort; limit: number },
): Promise<AffinityRuleRow[]> {
  const [second, third] = (['lift', 'confidence', 'support'] as const).filter((m) => m !== q.sort);
  let query = db
    .selectFrom('product_affinity as r')
    .innerJoin('products as p', 'p.id', 'r.product_id')
    .innerJoin('products as b', 'b.id', 'r.also_product_id')
    .select([
      'r.product_id',
      'p.sku as product_sku',
      'p.name as product_name',
      'r.also_product_id as also_id',
      'b.sku as also_sku',
      'b.name as also_name',
      'r.orders_together',
      'r.support',
      'r.confidence',
      'r.lift',
    ])
    .where('r.support', '>=', q.minSupport);
  if (q.productId) query = query.where('r.product_id', '=', q.productId);
  return query
    .orderBy(`r.${q.sort}`, 'desc')
    .orderBy(`r.${second!}`, 'desc')
    .orderBy(`r.${third!}`, 'desc')
    .orderBy('p.sku')
    .orderBy('b.sku')
    .limit(q.limit)
    .execute();
}
