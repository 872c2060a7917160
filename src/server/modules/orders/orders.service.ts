import { type Kysely, sql } from 'kysely';
import type { Order, OrderCreate } from '../../../shared/orders.js';
import type { OrderStatus } from '../../../shared/enums.js';
import type { DB } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { insertCustomer } from '../customers/customers.service.js';
import { insertEvent } from '../customers/customers.queries.js';
import { refuseErasedEmails } from '../privacy/erased-emails.js';
import {
  type ItemRow,
  type OrderRow,
  findItems,
  findOrder,
  findOrderPage,
  upsertProducts,
} from './orders.queries.js';

const cents = (n: number) => Math.round(n * 100);

function toOrder(row: OrderRow, items: ItemRow[]): Order {
  return {
    id: row.id,
    customer_id: row.customer_id,
    external_id: row.external_id,
    status: row.status,
    currency: row.currency.trim(),
    total: Number(row.total),
    item_count: row.item_count,
    placed_at: row.placed_at.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
    items: items.map((i) => ({
      id: i.id,
      product_id: i.product_id,
      sku: i.sku,
      name: i.name,
      category: i.category,
      quantity: i.quantity,
      unit_price: Number(i.unit_price),
      line_total: Number(i.line_total),
    })),
  };
}

export async function getOrder(db: Kysely<DB>, id: string): Promise<Order> {
  const row = await findOrder(db, id);
  if (!row) throw notFound('Order');
  return toOrder(row, await findItems(db, [id]));
}

export async function listOrders(
  deps: AppDeps,
  q: {
    customer_id?: string | undefined;
    status?: OrderStatus | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const cursor = decodeCursor(q.cursor, 'placed_at:desc');
  const rows = await findOrderPage(deps.db, q, q.limit, cursor);
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const items = await findItems(
    deps.db,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    data: page.map((r) =>
      toOrder(
        r,
        items.filter((i) => i.order_id === r.id),
      ),
    ),
    next_cursor:
      hasMore && last ? encodeCursor({ s: 'placed_at:desc', v: last.placed_key, id: last.id }) : null,
  };
}

async function resolveCustomer(trx: Kysely<DB>, input: OrderCreate, actorId: string): Promise<string> {
  if (input.customer_id) {
    const found = await trx
      .selectFrom('customers')
      .select('id')
      .where('id', '=', input.customer_id)
      .executeTakeFirst();
    if (!found) {
      throw new AppError('validation_failed', 'customer_id: no such customer', {
        errors: [{ field: 'customer_id', message: 'No customer has this id' }],
      });
    }
    return found.id;
  }
  const email = input.customer_email!;
  const findOwner = () =>
    trx
      .selectFrom('customer_emails')
      .select('customer_id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
  const owner = await findOwner();
  if (owner) return owner.customer_id;
  await refuseErasedEmails(trx, [email], () => 'customer_email');
  // An order from someone the CRM has not met yet (a guest checkout) starts their profile. Two
  // such orders at once race to create it: the loser hits the unique email, rolls back to the
  // savepoint and joins the winner's customer instead of failing the order.
  await sql`savepoint new_customer`.execute(trx);
  try {
    const id = await insertCustomer(trx, { email, acquisition_source: 'order' }, actorId, {
      kind: 'customer_created',
      summary: 'Created from their first order',
    });
    await sql`release savepoint new_customer`.execute(trx);
    return id;
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'duplicate')) throw err;
    await sql`rollback to savepoint new_customer`.execute(trx);
    const winner = await findOwner();
    if (!winner) throw err;
    return winner.customer_id;
  }
}

/**
 * Records an order; metrics follow through the orders trigger in this same transaction.
 * Idempotent on `external_id`: a repeat returns the stored order and `created: false`.
 */
export async function createOrder(
  deps: AppDeps,
  principal: Principal,
  input: OrderCreate,
): Promise<{ order: Order; created: boolean }> {
  const id = await deps.db.transaction().execute(async (trx) => {
    if (input.external_id) {
      const existing = await trx
        .selectFrom('orders')
        .select('id')
        .where('external_id', '=', input.external_id)
        .executeTakeFirst();
      if (existing) return { id: existing.id, created: false };
    }
    const customerId = await resolveCustomer(trx, input, principal.staffId);
    const products = new Map((await upsertProducts(trx, input.items)).map((p) => [p.sku, p]));
    const totalCents = input.items.reduce((sum, i) => sum + cents(i.unit_price) * i.quantity, 0);
    const inserted = await trx
      .insertInto('orders')
      .values({
        customer_id: customerId,
        external_id: input.external_id ?? null,
        status: input.status,
        currency: input.currency,
        total: (totalCents / 100).toFixed(2),
        item_count: input.items.reduce((n, i) => n + i.quantity, 0),
        ...(input.placed_at ? { placed_at: input.placed_at } : {}),
      })
      .onConflict((oc) => oc.column('external_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      // a concurrent request with the same external_id won the race
      const winner = await trx
        .selectFrom('orders')
        .select('id')
        .where('external_id', '=', input.external_id!)
        .executeTakeFirstOrThrow();
      return { id: winner.id, created: false };
    }
    await trx
      .insertInto('order_items')
      .values(
        input.items.map((i) => {
          const p = products.get(i.sku)!;
          return {
            order_id: inserted.id,
            product_id: p.id,
            sku: i.sku,
            name: i.name ?? p.name,
            category: i.category ?? p.category,
            quantity: i.quantity,
            unit_price: i.unit_price.toFixed(2),
            line_total: ((cents(i.unit_price) * i.quantity) / 100).toFixed(2),
          };
        }),
      )
      .execute();
    return { id: inserted.id, created: true };
  });
  return { order: await getOrder(deps.db, id.id), created: id.created };
}

export async function updateOrderStatus(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: { status: OrderStatus; version?: number | undefined },
): Promise<Order> {
  await deps.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('orders')
      .select(['id', 'status', 'version', 'customer_id', 'external_id'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('Order');
    if (input.version !== undefined && input.version !== current.version) {
      throw new AppError(
        'version_conflict',
        `This order was changed by someone else (now version ${current.version})`,
        {
          current: await getOrder(trx, id),
        },
      );
    }
    if (current.status === input.status) return;
    await trx
      .updateTable('orders')
      .set({ status: input.status, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
    await insertEvent(trx, {
      customer_id: current.customer_id,
      kind: 'order_status_changed',
      actor_id: principal.staffId,
      summary: `Order ${current.external_id ?? id.slice(0, 8)}: ${current.status} → ${input.status}`,
      data: { order_id: id, from: current.status, to: input.status },
    });
  });
  return getOrder(deps.db, id);
}
