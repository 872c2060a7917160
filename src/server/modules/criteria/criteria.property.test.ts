import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import {
  type CriteriaGroup,
  type CriteriaNode,
  type CriteriaRule,
  criteriaField,
  isGroup,
  validateCriteria,
} from '../../../shared/criteria/index.js';
import { customerStatuses, lifecycleStages, orderStatuses } from '../../../shared/enums.js';
import type { CustomerList } from '../../../shared/customers.js';
import { compileCriteria } from './criteria.compiler.js';
import { fromCustomers } from './criteria.source.js';

/**
 * Property: for random criteria trees over a generated dataset, the customers SQL selects are
 * exactly those an independent TypeScript evaluator (below, written from the catalogue's
 * documented meaning) selects. Hostile strings sit in both the data and the criteria values.
 */

const DAY = 86_400_000;
const hostile = [
  "'; drop table customers; --",
  "O'Brien",
  '50%_off',
  'a_b',
  'back\\slash',
  '"quoted"',
  "' or '1'='1",
];
const textPool = ['Ann', 'anne', 'ÁNN', 'Bob', 'Zoë', 'zoe', 'Café', 'x', '', ...hostile];
const valuePool = ['ann', 'an', 'zoe', 'ZOË', 'cafe', 'b', 'x', '%', '_', '\\', "'", 'drop', ...hostile];
const tagNames = ['VIP', 'spam', "it's", '50%', 'a_b', 'back\\slash'];
const categories = ['Coffee', 'café', 'Tea', '50%_off', null];
const skus = ['SKU-a', 'sku-B', "SKU-'x"];

interface Row {
  id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  country: string | null;
  acquisition_source: string | null;
  customer_status: string;
  lifecycle_stage: string;
  preferred_contact_method: string;
  acquisition_date: Date;
  created_at: Date;
  first_order_date: Date | null;
  last_order_date: Date | null;
  lifetime_value: number;
  total_orders: number;
  average_order_value: number;
  customer_value: number;
  owner_id: string | null;
  user_id: string | null;
  do_not_contact: boolean;
  addresses: Array<{ city: string; region: string | null; postal_code: string | null }>;
  tags: Array<{ id: string; name: string }>;
  segments: string[];
  rfm: { recency: number; frequency: number; monetary: number; rfm_group: string } | null;
  orders: Array<{
    status: string;
    total: number;
    placed_at: Date;
    items: Array<{ sku: string; category: string | null; product_id: string }>;
  }>;
}

let t: TestApp;
let admin: StaffHandle;
let other: StaffHandle;
let rows: Row[] = [];
let tagIds: string[] = [];
let segmentIds: string[] = [];
let productIds: string[] = [];

/** A small deterministic generator, so the dataset is the same on every run and engine. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  other = await t.staff('agent');
  const db = t.database.db;
  const r = prng(42);
  const now = Date.now();
  const ago = (days: number) => new Date(now - (days + 0.5) * DAY);

  tagIds = (
    await db
      .insertInto('tags')
      .values(tagNames.map((name) => ({ name })))
      .returning('id')
      .execute()
  ).map((x) => x.id);
  segmentIds = (
    await db
      .insertInto('segments')
      .values(['S1', 'S2', 'S3'].map((name) => ({ name })))
      .returning('id')
      .execute()
  ).map((x) => x.id);
  productIds = (
    await db
      .insertInto('products')
      .values(skus.map((sku, i) => ({ sku, name: sku, category: categories[i] ?? null })))
      .returning('id')
      .execute()
  ).map((x) => x.id);

  for (let i = 0; i < 40; i++) {
    const maybe = (pool: readonly string[]) => (r.chance(0.2) ? null : r.pick(pool));
    const c = await db
      .insertInto('customers')
      .values({
        first_name: maybe(textPool),
        last_name: maybe(textPool),
        company: maybe(textPool),
        email: r.chance(0.2)
          ? null
          : `${r.pick(['ann', "o'brien", 'x_y'])}@${r.pick(['acme.com', 'Example.org', 'café.fr'])}`,
        phone: r.chance(0.3) ? null : r.pick(['+49 30 1', '+1 555', '0049']),
        acquisition_source: maybe(['google', 'Google', 'referral', ...hostile]),
        preferred_contact_method: r.pick(['email', 'phone', 'sms']),
        acquisition_date: ago(r.int(800)),
        created_at: ago(r.int(800)),
        owner_id: r.pick([null, admin.id, other.id]),
        communication_preferences: JSON.stringify(r.chance(0.3) ? { do_not_contact: true } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('customer_metrics')
      .set({
        customer_value: String(r.pick([0, 10, 99.5, 250])),
        customer_status: r.pick(customerStatuses),
        lifecycle_stage: r.pick(lifecycleStages),
        country: maybe(['DE', 'US', 'FR']),
      })
      .where('customer_id', '=', c.id)
      .execute();
    for (let k = r.int(4); k > 0; k--) {
      const o = await db
        .insertInto('orders')
        .values({
          customer_id: c.id,
          status: r.pick(orderStatuses),
          total: String(r.pick([5, 25, 40.5, 120, 300])),
          placed_at: ago(r.int(400)),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let j = 1 + r.int(2); j > 0; j--) {
        const p = r.int(skus.length);
        await db
          .insertInto('order_items')
          .values({
            order_id: o.id,
            product_id: productIds[p]!,
            sku: r.chance(0.5) ? skus[p]! : skus[p]!.toUpperCase(),
            name: 'x',
            category: categories[p] ?? null,
            quantity: 1,
            unit_price: '1',
            line_total: '1',
          })
          .execute();
      }
    }
    for (let k = r.int(3); k > 0; k--) {
      await db
        .insertInto('customer_addresses')
        .values({
          customer_id: c.id,
          line1: 'x',
          city: r.pick(['Berlin', 'BERLIN', 'Zürich', 'zurich', "L'Aquila", '50%_off', ...hostile]),
          region: r.chance(0.4) ? null : r.pick(['Bayern', 'Île-de-France', '', ...hostile]),
          postal_code: r.chance(0.3) ? null : r.pick(['10115', '8001', '75001']),
          country: 'DE',
        })
        .execute();
    }
    for (const tag of tagIds) {
      if (r.chance(0.3))
        await db.insertInto('customer_tags').values({ customer_id: c.id, tag_id: tag }).execute();
    }
    for (const seg of segmentIds) {
      if (r.chance(0.3))
        await db.insertInto('segment_members').values({ segment_id: seg, customer_id: c.id }).execute();
    }
    if (r.chance(0.5)) {
      await db
        .insertInto('customer_rfm')
        .values({
          customer_id: c.id,
          recency: 1 + r.int(5),
          frequency: 1 + r.int(5),
          monetary: 1 + r.int(5),
          rfm_group: r.pick(['champions', 'lost', 'at_risk']),
        })
        .execute();
    }
  }
  rows = await loadRows();
});
afterAll(() => t?.close());

/** The stored data read back plainly (metrics come from the triggers), for the evaluator. */
async function loadRows(): Promise<Row[]> {
  const db = t.database.db;
  const cs = await db
    .selectFrom('customers')
    .innerJoin('customer_metrics', 'customer_metrics.customer_id', 'customers.id')
    .selectAll()
    .execute();
  const tags = await db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(['ct.customer_id', 't.id', 't.name'])
    .execute();
  const members = await db.selectFrom('segment_members').selectAll().execute();
  const addresses = await db.selectFrom('customer_addresses').selectAll().orderBy('id').execute();
  const rfm = await db.selectFrom('customer_rfm').selectAll().execute();
  const orders = await db.selectFrom('orders').selectAll().execute();
  const items = await db.selectFrom('order_items').selectAll().execute();
  const date = (d: unknown) => (d === null ? null : new Date(d as string));
  return cs.map((c) => ({
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    company: c.company,
    email: c.email,
    phone: c.phone,
    country: c.country,
    acquisition_source: c.acquisition_source,
    customer_status: c.customer_status,
    lifecycle_stage: c.lifecycle_stage,
    preferred_contact_method: c.preferred_contact_method,
    acquisition_date: new Date(c.acquisition_date as unknown as string),
    created_at: new Date(c.created_at as unknown as string),
    first_order_date: date(c.first_order_date),
    last_order_date: date(c.last_order_date),
    lifetime_value: Number(c.lifetime_value),
    total_orders: Number(c.total_orders),
    average_order_value: Number(c.average_order_value),
    customer_value: Number(c.customer_value),
    owner_id: c.owner_id,
    user_id: c.user_id,
    do_not_contact: (c.communication_preferences as Record<string, unknown>)?.do_not_contact === true,
    addresses: addresses
      .filter((a) => a.customer_id === c.id)
      .map((a) => ({ city: a.city, region: a.region, postal_code: a.postal_code })),
    tags: tags.filter((x) => x.customer_id === c.id).map((x) => ({ id: x.id, name: x.name })),
    segments: members.filter((m) => m.customer_id === c.id).map((m) => m.segment_id),
    rfm: rfm.find((x) => x.customer_id === c.id) ?? null,
    orders: orders
      .filter((o) => o.customer_id === c.id)
      .map((o) => ({
        status: o.status,
        total: Number(o.total),
        placed_at: new Date(o.placed_at as unknown as string),
        items: items.filter((i) => i.order_id === o.id),
      })),
  }));
}

// ---- the independent evaluator ----

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function instant(v: string, end = false): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Date.parse(`${v}T00:00:00Z`) + (end ? DAY : 0);
  return Date.parse(v);
}

function scalar(row: Row, field: string): unknown {
  switch (field) {
    case 'email_domain':
      return row.email === null ? null : (row.email.split('@')[1] ?? '');
    case 'rfm_recency':
      return row.rfm?.recency ?? null;
    case 'rfm_frequency':
      return row.rfm?.frequency ?? null;
    case 'rfm_monetary':
      return row.rfm?.monetary ?? null;
    case 'rfm_group':
      return row.rfm?.rfm_group ?? null;
    default:
      return (row as unknown as Record<string, unknown>)[field];
  }
}

function compare(a: number, op: string, b: number): boolean {
  return { eq: a === b, neq: a !== b, gt: a > b, gte: a >= b, lt: a < b, lte: a <= b }[op]!;
}

function evalString(value: string | null, op: string, v: unknown): boolean {
  const x = norm(value ?? '');
  const s = typeof v === 'string' ? norm(v) : '';
  const list = Array.isArray(v) ? v.map((y) => norm(String(y))) : [];
  return {
    eq: x === s,
    neq: x !== s,
    in: list.includes(x),
    not_in: !list.includes(x),
    contains: x.includes(s),
    not_contains: !x.includes(s),
    starts_with: x.startsWith(s),
    is_empty: x === '',
    is_not_empty: x !== '',
  }[op as 'eq']!;
}

function evalRule(row: Row, r: CriteriaRule, staffId: string, now: number): boolean {
  const f = criteriaField(r.field)!;
  const v = r.value;
  const kept = row.orders.filter((o) => o.status === 'paid' || o.status === 'fulfilled');
  switch (f.type) {
    case 'string': {
      if (f.name === 'city' || f.name === 'region' || f.name === 'postal_code') {
        const key = f.name;
        const positive = { neq: 'eq', not_in: 'in', not_contains: 'contains', is_empty: 'is_not_empty' }[
          r.op as 'neq'
        ];
        const some = row.addresses.some((a) => evalString(a[key], positive ?? r.op, v));
        return positive ? !some : some;
      }
      return evalString(scalar(row, f.name) as string | null, r.op, v);
    }
    case 'enum': {
      const x = scalar(row, f.name) as string | null;
      const list = Array.isArray(v) ? v : [];
      if (r.op === 'eq') return x !== null && x === v;
      if (r.op === 'neq') return x !== v;
      if (r.op === 'in') return x !== null && list.includes(x);
      if (r.op === 'not_in') return x === null || !list.includes(x);
      return r.op === 'is_empty' ? x === null : x !== null;
    }
    case 'number': {
      const x = scalar(row, f.name) as number | null;
      if (r.op === 'is_empty') return x === null;
      if (r.op === 'is_not_empty') return x !== null;
      if (r.op === 'neq') return x === null || x !== v;
      if (x === null) return false;
      if (r.op === 'between') return x >= (v as number[])[0]! && x <= (v as number[])[1]!;
      return compare(x, r.op, v as number);
    }
    case 'date': {
      const d = scalar(row, f.name) as Date | null;
      if (r.op === 'is_empty') return d === null;
      if (r.op === 'is_not_empty') return d !== null;
      if (d === null) return false;
      const x = d.getTime();
      const plain = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
      switch (r.op) {
        case 'gt':
          return plain ? x >= instant(v as string, true) : x > instant(v as string);
        case 'gte':
          return x >= instant(v as string);
        case 'lt':
          return x < instant(v as string);
        case 'lte':
          return plain ? x < instant(v as string, true) : x <= instant(v as string);
        case 'between': {
          const [a, b] = v as string[];
          return (
            evalRule(row, { ...r, op: 'gte', value: a }, staffId, now) &&
            evalRule(row, { ...r, op: 'lte', value: b }, staffId, now)
          );
        }
        case 'older_than_days':
          return x < now - (v as number) * DAY;
        default:
          return x >= now - (v as number) * DAY;
      }
    }
    case 'boolean':
      return (f.name === 'has_account' ? row.user_id !== null : row.do_not_contact) === v;
    case 'owner': {
      const is = (o: unknown) =>
        o === 'none' ? row.owner_id === null : row.owner_id === (o === 'me' ? staffId : o);
      const any = (r.op === 'in' || r.op === 'not_in' ? (v as unknown[]) : [v]).some(is);
      return r.op === 'eq' || r.op === 'in' ? any : !any;
    }
    case 'tags': {
      const has = (x: string) =>
        row.tags.some(
          (tg) => tg.name.toLowerCase() === x.toLowerCase() || (UUID.test(x) && tg.id === x.toLowerCase()),
        );
      const vs = v as string[];
      if (r.op === 'has_any') return vs.some(has);
      if (r.op === 'has_all') return vs.every(has);
      return !vs.some(has);
    }
    case 'segments': {
      const inAny = (v as string[]).some((s) => row.segments.includes(s));
      return r.op === 'in' ? inAny : !inAny;
    }
    case 'orders': {
      const o = (v ?? {}) as {
        product_sku?: string;
        category?: string;
        product_id?: string;
        within_days?: number;
      };
      const bought = kept.some(
        (ord) =>
          (o.within_days === undefined || ord.placed_at.getTime() >= now - o.within_days * DAY) &&
          (o.product_sku === undefined && o.category === undefined && o.product_id === undefined
            ? true
            : ord.items.some((i) =>
                o.product_sku !== undefined
                  ? i.sku.toLowerCase() === o.product_sku.toLowerCase()
                  : o.category !== undefined
                    ? i.category !== null && norm(i.category) === norm(o.category)
                    : i.product_id === o.product_id,
              )),
      );
      return r.op === 'purchased' ? bought : !bought;
    }
    case 'order_window': {
      const { days, amount } = v as { days: number; amount: number };
      const recent = kept.filter((o) => o.placed_at.getTime() >= now - days * DAY);
      const x = f.name === 'spend_in_days' ? recent.reduce((s, o) => s + o.total, 0) : recent.length;
      return compare(Math.round(x * 100) / 100, r.op, amount);
    }
  }
}

function evalNode(row: Row, n: CriteriaNode, staffId: string, now: number): boolean {
  if (!isGroup(n)) return evalRule(row, n, staffId, now);
  const parts = n.rules.map((x) => evalNode(row, x, staffId, now));
  const v = n.match === 'all' ? parts.every(Boolean) : parts.some(Boolean);
  return n.not ? !v : v;
}

// ---- random trees ----

const dayArb = fc
  .integer({ min: 0, max: 900 })
  .map((k) => new Date(Date.now() - k * DAY).toISOString().slice(0, 10));
const ruleArb = (): fc.Arbitrary<CriteriaRule> => {
  const strField = fc.constantFrom(
    'first_name',
    'last_name',
    'company',
    'email',
    'email_domain',
    'phone',
    'country',
    'acquisition_source',
    'city',
    'region',
    'postal_code',
  );
  const str = fc.constantFrom(
    ...valuePool,
    'acme.com',
    'example.org',
    '+49',
    'de',
    'google',
    'berlin',
    'zur',
    'bayern',
    'ile',
    '10115',
    "l'a",
  );
  const num = fc.constantFrom(0, 1, 2, 3, 5, 25, 40.5, 99.5, 120, 300, 500);
  const dateField = fc.constantFrom('acquisition_date', 'created_at', 'first_order_date', 'last_order_date');
  const tagVal = fc.oneof(
    fc.constantFrom(...tagNames, 'vip', "IT'S", 'none', ...hostile),
    fc.constantFrom(...tagIds),
  );
  return fc.oneof(
    fc.record({
      field: strField,
      op: fc.constantFrom('eq', 'neq', 'contains', 'not_contains', 'starts_with'),
      value: str,
    }),
    fc.record({
      field: strField,
      op: fc.constantFrom('in', 'not_in'),
      value: fc.array(str, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ field: strField, op: fc.constantFrom('is_empty', 'is_not_empty') }),
    fc.record({
      field: fc.constant('customer_status'),
      op: fc.constantFrom('eq', 'neq'),
      value: fc.constantFrom(...customerStatuses),
    }),
    fc.record({
      field: fc.constant('lifecycle_stage'),
      op: fc.constantFrom('in', 'not_in'),
      value: fc.subarray([...lifecycleStages], { minLength: 1 }),
    }),
    fc
      .record({
        field: fc.constant('rfm_group'),
        op: fc.constantFrom('eq', 'neq', 'is_empty', 'is_not_empty', 'not_in'),
        value: fc.constantFrom('champions', 'lost'),
      })
      .map((x) =>
        x.op.startsWith('is_')
          ? { field: x.field, op: x.op }
          : x.op === 'not_in'
            ? { ...x, value: [x.value] }
            : x,
      ),
    fc
      .record({
        field: fc.constantFrom('lifetime_value', 'total_orders', 'average_order_value', 'customer_value'),
        op: fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte'),
        value: num,
      })
      .filter((x) => x.field !== 'total_orders' || Number.isInteger(x.value)),
    fc.record({
      field: fc.constant('lifetime_value'),
      op: fc.constant('between'),
      value: fc.tuple(num, num),
    }),
    fc
      .record({
        field: fc.constantFrom('rfm_recency', 'rfm_monetary'),
        op: fc.constantFrom('eq', 'neq', 'gte', 'is_empty'),
        value: fc.integer({ min: 1, max: 5 }),
      })
      .map((x) => (x.op === 'is_empty' ? { field: x.field, op: x.op } : x)),
    fc.record({ field: dateField, op: fc.constantFrom('gt', 'gte', 'lt', 'lte'), value: dayArb }),
    fc.record({ field: dateField, op: fc.constant('between'), value: fc.tuple(dayArb, dayArb) }),
    fc.record({
      field: dateField,
      op: fc.constantFrom('older_than_days', 'within_last_days'),
      value: fc.integer({ min: 0, max: 900 }),
    }),
    fc.record({
      field: fc.constantFrom('first_order_date', 'last_order_date'),
      op: fc.constantFrom('is_empty', 'is_not_empty'),
    }),
    fc.record({
      field: fc.constant('owner'),
      op: fc.constantFrom('eq', 'neq'),
      value: fc.constantFrom('me', 'none', other.id),
    }),
    fc.record({
      field: fc.constant('owner'),
      op: fc.constantFrom('in', 'not_in'),
      value: fc.subarray(['me', 'none', other.id], { minLength: 1 }),
    }),
    fc.record({
      field: fc.constantFrom('has_account', 'do_not_contact'),
      op: fc.constant('eq'),
      value: fc.boolean(),
    }),
    fc.record({
      field: fc.constant('tags'),
      op: fc.constantFrom('has_any', 'has_all', 'has_none'),
      value: fc.array(tagVal, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      field: fc.constant('segments'),
      op: fc.constantFrom('in', 'not_in'),
      value: fc.subarray(segmentIds, { minLength: 1 }),
    }),
    fc.record({
      field: fc.constant('orders'),
      op: fc.constantFrom('purchased', 'not_purchased'),
      value: fc.oneof(
        fc.record({ within_days: fc.integer({ min: 1, max: 400 }) }, { requiredKeys: [] }),
        fc.record(
          {
            product_sku: fc.constantFrom(...skus, 'SKU-A', "sku-'X", '%'),
            within_days: fc.integer({ min: 1, max: 400 }),
          },
          { requiredKeys: ['product_sku'] },
        ),
        fc.record(
          {
            category: fc.constantFrom('coffee', 'CAFE', 'tea', '50%_off', '_', ...hostile),
            within_days: fc.integer({ min: 1, max: 400 }),
          },
          { requiredKeys: ['category'] },
        ),
        fc.record({ product_id: fc.constantFrom(...productIds) }),
      ),
    }),
    fc
      .record({
        field: fc.constantFrom('orders_count_in_days', 'spend_in_days'),
        op: fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte'),
        value: fc.record({
          days: fc.integer({ min: 1, max: 400 }),
          amount: fc.constantFrom(0, 1, 2, 25, 65.5, 120),
        }),
      })
      .map((x) =>
        // counts are whole numbers
        x.field === 'orders_count_in_days'
          ? { ...x, value: { ...x.value, amount: Math.floor(x.value.amount) } }
          : x,
      ),
  ) as fc.Arbitrary<CriteriaRule>;
};

function treeArb(): fc.Arbitrary<CriteriaGroup> {
  const rule = ruleArb();
  const { group } = fc.letrec<{ node: CriteriaNode; group: CriteriaGroup }>((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, rule, rule, tie('group')),
    group: fc.record(
      {
        match: fc.constantFrom('all' as const, 'any' as const),
        not: fc.boolean(),
        rules: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
      },
      { requiredKeys: ['match', 'rules'] },
    ),
  }));
  return group.filter((g) => validateCriteria(g).ok);
}

async function sqlIds(tree: CriteriaGroup, staffId: string): Promise<string[]> {
  const found = await fromCustomers(t.database.db)
    .select('c.id')
    .where(compileCriteria(tree, { staffId }))
    .execute();
  return found.map((x) => x.id).sort();
}
const tsIds = (tree: CriteriaGroup, staffId: string) =>
  rows
    .filter((row) => evalNode(row, tree, staffId, Date.now()))
    .map((row) => row.id)
    .sort();

describe('compiled SQL agrees with the TypeScript evaluator (property)', () => {
  it('every generated tree selects the same customers', async () => {
    expect(rows.length).toBe(40);
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(treeArb(), async (tree) => {
        const expected = tsIds(tree, admin.id);
        expect(await sqlIds(tree, admin.id)).toEqual(expected);
        if (expected.length > 0 && expected.length < rows.length) partial += 1;
      }),
      { numRuns: 150 },
    );
    // the trees discriminate: most select some customers but not all
    expect(partial).toBeGreaterThan(50);
  });

  it('single rules cover every field and operator', async () => {
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(ruleArb(), async (rule) => {
        const tree: CriteriaGroup = { match: 'all', rules: [rule] };
        expect(validateCriteria(tree)).toMatchObject({ ok: true });
        const expected = tsIds(tree, other.id);
        expect(await sqlIds(tree, other.id)).toEqual(expected);
        if (expected.length > 0 && expected.length < rows.length) partial += 1;
      }),
      { numRuns: 150 },
    );
    expect(partial).toBeGreaterThan(50);
  });

  it('through HTTP too, and hostile strings leave the data untouched', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(), async (tree) => {
        const res = await t.request({
          method: 'GET',
          url: `/api/crm/customers?limit=200&criteria=${encodeURIComponent(JSON.stringify(tree))}`,
          as: admin,
        });
        expect(res.statusCode).toBe(200);
        expect(
          res
            .json<CustomerList>()
            .data.map((c) => c.id)
            .sort(),
        ).toEqual(tsIds(tree, admin.id));
      }),
      { numRuns: 30 },
    );
    const n = await sql<{ n: string }>`select count(*) as n from customers`.execute(t.database.db);
    expect(Number(n.rows[0]!.n)).toBe(40);
    expect(await loadRows()).toEqual(rows);
  });
});
