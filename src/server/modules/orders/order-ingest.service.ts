import type { Kysely } from 'kysely';
import { type IngestResult, type OrderIngest, orderIngestSchema } from '../../../shared/orders.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { fieldPath } from '../../platform/errors.js';
import { type CustomerMatch, matchCustomers } from './order-ingest.customers.js';
import {
  deferCustomerMetrics,
  findOrdersByExternalId,
  insertOrders,
  insertStatusEvents,
  type NewItems,
  refreshCustomerMetrics,
  replaceItems,
  updateOrders,
  upsertProductsBySku,
} from './order-ingest.queries.js';

/** A line of an NDJSON body that is not JSON: rejected with its reason, the rest still ingested. */
export class UnreadableOrder {
  constructor(readonly message: string) {}
}

type Result = IngestResult['results'][number];
const cents = (n: number) => Math.round(n * 100);
const money = (c: number) => (c / 100).toFixed(2);
/** The lines as one comparable value: sku, quantity and price of each, order ignored. */
const lineKey = (lines: [sku: string, quantity: number, price: string][]) =>
  lines
    .map((l) => JSON.stringify(l))
    .sort()
    .join('\n');

/**
 * POST /api/orders/ingest: a batch of orders from an external order system, in one transaction.
 * Each order is accepted (new), updated (its external id was known and something changed),
 * unchanged (a repeat) or rejected with its reasons; rejected orders do not stop the others.
 * Work is set-based: a handful of statements per batch, not per order. Metrics, stages and
 * categories follow through the orders triggers, as for any order.
 */
export async function ingestOrders(
  deps: AppDeps,
  actorId: string | null,
  batch: unknown[],
): Promise<IngestResult> {
  const results: Result[] = batch.map((_, index) => ({
    index,
    external_id: null,
    outcome: 'rejected',
    order_id: null,
    customer_id: null,
  }));
  const valid: { index: number; order: OrderIngest }[] = [];
  const firstIndex = new Map<string, number>();
  batch.forEach((raw, index) => {
    const result = results[index]!;
    if (raw instanceof UnreadableOrder) {
      result.errors = [{ field: 'order', message: raw.message }];
      return;
    }
    const parsed = orderIngestSchema.safeParse(raw);
    if (!parsed.success) {
      const externalId = (raw as { external_id?: unknown } | null)?.external_id;
      result.external_id = typeof externalId === 'string' ? externalId : null;
      result.errors = parsed.error.issues.map((i) => ({
        field: fieldPath('order', i.path),
        message: i.message,
      }));
      return;
    }
    result.external_id = parsed.data.external_id;
    const earlier = firstIndex.get(parsed.data.external_id);
    if (earlier !== undefined) {
      result.errors = [{ field: 'external_id', message: `Also sent as order ${earlier} of this batch` }];
      return;
    }
    firstIndex.set(parsed.data.external_id, index);
    valid.push({ index, order: parsed.data });
  });

  let customersCreated = 0;
  if (valid.length > 0) {
    customersCreated = await deps.db.transaction().execute((trx) => store(trx, actorId, valid, results));
  }
  const count = (o: Result['outcome']) => results.filter((r) => r.outcome === o).length;
  return {
    accepted: count('accepted'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    customers_created: customersCreated,
    results,
  };
}

async function store(
  trx: Kysely<DB>,
  actorId: string | null,
  valid: { index: number; order: OrderIngest }[],
  results: Result[],
): Promise<number> {
  const matches: CustomerMatch[] = await matchCustomers(
    trx,
    valid.map((v) => v.order),
    actorId,
  );
  const existing = new Map(
    (
      await findOrdersByExternalId(
        trx,
        valid.map((v) => v.order.external_id),
      )
    ).map((o) => [o.external_id, o]),
  );

  const toInsert: { index: number; order: OrderIngest; customerId: string; totalCents: number }[] = [];
  // stored.customer_id: an update may move an order to another customer, whose metrics change too
  const toUpdate: {
    index: number;
    order: OrderIngest;
    id: string;
    customerId: string;
    totalCents: number;
    itemsChanged: boolean;
    fromStatus: string;
    fromCustomerId: string;
  }[] = [];
  let customersCreated = 0;
  valid.forEach(({ index, order }, k) => {
    const match = matches[k]!;
    const result = results[index]!;
    if ('error' in match) {
      result.errors = [match.error];
      return;
    }
    if (match.created) customersCreated += 1;
    result.customer_id = match.customerId;
    const totalCents =
      order.total !== undefined
        ? cents(order.total)
        : order.items.reduce((sum, i) => sum + cents(i.unit_price) * i.quantity, 0);
    const stored = existing.get(order.external_id);
    if (!stored) {
      toInsert.push({ index, order, customerId: match.customerId, totalCents });
      return;
    }
    result.order_id = stored.id;
    const itemsChanged =
      lineKey(stored.lines ?? []) !==
      lineKey(order.items.map((i) => [i.sku, i.quantity, i.unit_price.toFixed(2)]));
    const changed =
      itemsChanged ||
      stored.customer_id !== match.customerId ||
      stored.status !== order.status ||
      stored.currency !== order.currency ||
      cents(Number(stored.total)) !== totalCents ||
      stored.placed_at.getTime() !== Date.parse(order.placed_at);
    if (!changed) {
      result.outcome = 'unchanged';
      return;
    }
    toUpdate.push({
      index,
      order,
      id: stored.id,
      customerId: match.customerId,
      totalCents,
      itemsChanged,
      fromStatus: stored.status,
      fromCustomerId: stored.customer_id,
    });
  });

  await deferCustomerMetrics(trx);
  const products = await upsertProductsBySku(
    trx,
    productsOf([...toInsert, ...toUpdate.filter((u) => u.itemsChanged)]),
  );
  const productBySku = new Map(products.map((p) => [p.sku, p]));

  const inserted = await insertOrders(trx, {
    externalIds: toInsert.map((o) => o.order.external_id),
    customerIds: toInsert.map((o) => o.customerId),
    statuses: toInsert.map((o) => o.order.status),
    currencies: toInsert.map((o) => o.order.currency),
    totals: toInsert.map((o) => money(o.totalCents)),
    itemCounts: toInsert.map((o) => o.order.items.reduce((n, i) => n + i.quantity, 0)),
    placedAt: toInsert.map((o) => o.order.placed_at),
  });
  const insertedIds = new Map(inserted.map((r) => [r.external_id, r.id]));
  for (const o of toInsert) {
    const result = results[o.index]!;
    const id = insertedIds.get(o.order.external_id);
    // stored by a concurrent batch between our lookup and insert: that one counts it
    result.outcome = id ? 'accepted' : 'unchanged';
    result.order_id = id ?? null;
  }

  await updateOrders(trx, {
    ids: toUpdate.map((o) => o.id),
    customerIds: toUpdate.map((o) => o.customerId),
    statuses: toUpdate.map((o) => o.order.status),
    currencies: toUpdate.map((o) => o.order.currency),
    totals: toUpdate.map((o) => money(o.totalCents)),
    itemCounts: toUpdate.map((o) => o.order.items.reduce((n, i) => n + i.quantity, 0)),
    placedAt: toUpdate.map((o) => o.order.placed_at),
  });
  for (const o of toUpdate) results[o.index]!.outcome = 'updated';

  const items: NewItems = {
    orderIds: [],
    productIds: [],
    skus: [],
    names: [],
    categories: [],
    quantities: [],
    unitPrices: [],
    lineTotals: [],
  };
  const withLines = [
    ...toInsert
      .filter((o) => insertedIds.has(o.order.external_id))
      .map((o) => ({ ...o, id: insertedIds.get(o.order.external_id)! })),
    ...toUpdate.filter((o) => o.itemsChanged),
  ];
  for (const o of withLines) {
    for (const i of o.order.items) {
      const product = productBySku.get(i.sku)!;
      items.orderIds.push(o.id);
      items.productIds.push(product.id);
      items.skus.push(i.sku);
      items.names.push(i.name ?? product.name);
      items.categories.push(i.category ?? product.category);
      items.quantities.push(i.quantity);
      items.unitPrices.push(i.unit_price.toFixed(2));
      items.lineTotals.push(money(cents(i.unit_price) * i.quantity));
    }
  }
  await replaceItems(
    trx,
    toUpdate.filter((o) => o.itemsChanged).map((o) => o.id),
    items,
  );

  await refreshCustomerMetrics(trx, [
    ...new Set([
      ...toInsert.map((o) => o.customerId),
      ...toUpdate.flatMap((o) => [o.customerId, o.fromCustomerId]),
    ]),
  ]);

  const statusChanges = toUpdate.filter((o) => o.fromStatus !== o.order.status);
  await insertStatusEvents(trx, actorId, {
    customerIds: statusChanges.map((o) => o.customerId),
    summaries: statusChanges.map((o) => `Order ${o.order.external_id}: ${o.fromStatus} → ${o.order.status}`),
    data: statusChanges.map((o) =>
      JSON.stringify({ order_id: o.id, from: o.fromStatus, to: o.order.status }),
    ),
  });
  return customersCreated;
}

/** One product per SKU in the batch, named and priced from its first line. */
function productsOf(orders: { order: OrderIngest }[]) {
  const bySku = new Map<string, { sku: string; name: string; category: string | null; price: string }>();
  for (const { order } of orders) {
    for (const i of order.items) {
      if (!bySku.has(i.sku)) {
        bySku.set(i.sku, {
          sku: i.sku,
          name: i.name ?? i.sku,
          category: i.category ?? null,
          price: i.unit_price.toFixed(2),
        });
      }
    }
  }
  return [...bySku.values()];
}
