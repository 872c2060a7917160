import type { Product } from '../../../shared/orders.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';

type ProductRow = {
  id: string;
  sku: string;
  name: string;
  category: string | null;
  price: string;
  created_at: Date;
};
const columns = ['id', 'sku', 'name', 'category', 'price', 'created_at'] as const;

const toProduct = (r: ProductRow): Product => ({
  ...r,
  price: Number(r.price),
  created_at: r.created_at.toISOString(),
});

export async function listProducts(
  deps: AppDeps,
  q: { q?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const cursor = decodeCursor(q.cursor, 'sku');
  let query = deps.db.selectFrom('products').select(columns);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('sku', 'ilike', like), eb('name', 'ilike', like), eb('category', 'ilike', like)]),
    );
  }
  if (cursor) query = query.where('sku', '>', String(cursor.v));
  const rows = await query
    .orderBy('sku')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toProduct),
    next_cursor: rows.length > q.limit && last ? encodeCursor({ s: 'sku', v: last.sku, id: last.id }) : null,
  };
}

export async function createProduct(
  deps: AppDeps,
  input: { sku: string; name: string; category?: string | undefined; price: number },
) {
  try {
    const row = await deps.db
      .insertInto('products')
      .values({
        sku: input.sku,
        name: input.name,
        category: input.category ?? null,
        price: input.price.toFixed(2),
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    return toProduct(row);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('duplicate', `A product with SKU ${input.sku} already exists`, {
        errors: [{ field: 'sku', message: 'Already used by another product' }],
      });
    }
    throw err;
  }
}
