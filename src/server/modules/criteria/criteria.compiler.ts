import { type RawBuilder, type SqlBool, sql } from 'kysely';
import {
  type CriteriaField,
  type CriteriaGroup,
  type CriteriaNode,
  type CriteriaRule,
  criteriaField,
  isGroup,
} from '../../../shared/criteria/index.js';
import { customerColumn } from './criteria.source.js';

/** Who is asking: `owner = me` means this staff user. */
export interface CriteriaContext {
  staffId: string;
}

type Sql = RawBuilder<unknown>;
type Pred = RawBuilder<SqlBool>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
// operator symbols come from this fixed table, never from input
const cmp: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** Catalogue fields stored as a column of the same name (on customers or customer_metrics). */
const columns = new Set([
  'first_name',
  'last_name',
  'company',
  'email',
  'phone',
  'country',
  'acquisition_source',
  'customer_status',
  'lifecycle_stage',
  'preferred_contact_method',
  'acquisition_date',
  'created_at',
  'first_order_date',
  'last_order_date',
  'lifetime_value',
  'total_orders',
  'average_order_value',
  'customer_value',
]);

/** RFM scores live in `customer_rfm` (migration 006); no row means not scored (empty). */
const rfmColumns: Record<string, string> = {
  rfm_recency: 'recency',
  rfm_frequency: 'frequency',
  rfm_monetary: 'monetary',
  rfm_group: 'rfm_group',
};

function columnOf(name: string): Sql {
  if (name === 'email_domain') return sql`split_part(c.email, '@', 2)`;
  if (!columns.has(name)) throw new Error(`criteria field without a column: ${name}`);
  return sql.ref(customerColumn(name));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
const kept = sql`o.customer_id = c.id and o.status in ('paid', 'fulfilled')`;
const daysAgo = (n: unknown) => sql`now() - make_interval(days => ${Number(n)}::int)`;

/**
 * Compiles a validated criteria tree into one SQL predicate over `customers as c` joined to
 * `customer_metrics as m` (fromCustomers in criteria.source). Every value
 * is a bound parameter; column names come from the catalogue (`sql.ref`), operators from fixed
 * tables. Validate first ({@link validateCriteria}): an invalid tree may throw here.
 */
export function compileCriteria(tree: CriteriaGroup, ctx: CriteriaContext): Pred {
  return compileGroup(tree, ctx);
}

function compileGroup(g: CriteriaGroup, ctx: CriteriaContext): Pred {
  const parts = g.rules.map((n: CriteriaNode) => (isGroup(n) ? compileGroup(n, ctx) : compileRule(n, ctx)));
  const inner =
    parts.length === 0
      ? g.match === 'all'
        ? sql<SqlBool>`true`
        : sql<SqlBool>`false`
      : sql<SqlBool>`(${sql.join(parts, g.match === 'all' ? sql` and ` : sql` or `)})`;
  // NULL (unknown) counts as "does not match", so NOT gives its complement exactly
  return g.not ? sql<SqlBool>`(not coalesce(${inner}, false))` : inner;
}

/** Operators that hold for an empty value (a customer not scored yet has no RFM row). */
const trueWhenEmpty = new Set(['neq', 'not_in', 'is_empty']);

/**
 * An RFM rule as EXISTS over `customer_rfm` rather than a scalar subquery per customer: the
 * planner then sees the scores' own statistics and can join (a hash semi-join for a count)
 * instead of probing once per customer. Unscored customers match exactly when the operator holds
 * for an empty value, as with a plain nullable column.
 */
function rfmRule(field: CriteriaField, column: string, r: CriteriaRule): Pred {
  const col = sql.ref(`r.${column}`);
  const scored =
    r.op === 'is_empty'
      ? null
      : sql<SqlBool>`exists (select 1 from customer_rfm r where r.customer_id = c.id and ${
          field.type === 'enum' ? enumRule(col, r) : numberRule(col, r)
        })`;
  const unscored = sql<SqlBool>`not exists (select 1 from customer_rfm r where r.customer_id = c.id)`;
  if (!scored) return unscored;
  return trueWhenEmpty.has(r.op) ? sql<SqlBool>`(${scored} or ${unscored})` : scored;
}

function compileRule(r: CriteriaRule, ctx: CriteriaContext): Pred {
  const field = criteriaField(r.field);
  if (!field) throw new Error(`unknown criteria field ${r.field}`);
  const rfm = rfmColumns[field.name];
  if (rfm) return rfmRule(field, rfm, r);
  switch (field.type) {
    case 'string':
      return stringRule(field, r);
    case 'enum':
      return enumRule(columnOf(field.name), r);
    case 'number':
      return numberRule(columnOf(field.name), r);
    case 'date':
      return dateRule(columnOf(field.name), r);
    case 'boolean':
      return booleanRule(field, r);
    case 'owner':
      return ownerRule(r, ctx);
    case 'tags':
      return tagsRule(r);
    case 'segments': {
      const ids = (r.value as string[]).map((v) => sql`${v}::uuid`);
      const member = sql<SqlBool>`exists (select 1 from segment_members sm
        where sm.customer_id = c.id and sm.segment_id in (${sql.join(ids)}))`;
      return r.op === 'in' ? member : sql<SqlBool>`not ${member}`;
    }
    case 'orders':
      return ordersRule(r);
    case 'order_window':
      return windowRule(field, r);
  }
}

/** Address fields match when any of the customer's addresses does ("none does" for negations). */
const addressColumns: Record<string, string> = { city: 'city', region: 'region', postal_code: 'postal_code' };
const positiveOf: Record<string, string> = {
  neq: 'eq',
  not_in: 'in',
  not_contains: 'contains',
  is_empty: 'is_not_empty',
};

function stringRule(field: CriteriaField, r: CriteriaRule): Pred {
  const addressCol = addressColumns[field.name];
  if (addressCol) {
    const positive = positiveOf[r.op];
    const col = sql.ref(`a.${addressCol}`);
    const some = sql<SqlBool>`exists (select 1 from customer_addresses a
      where a.customer_id = c.id and ${stringPred(col, { ...r, op: positive ?? r.op })})`;
    return positive ? sql<SqlBool>`not ${some}` : some;
  }
  return stringPred(columnOf(field.name), r);
}

function stringPred(col: Sql, r: CriteriaRule): Pred {
  // case- and accent-insensitive; an empty value (NULL) compares as ''
  const x = sql`coalesce(crm_normalize(${col}), '')`;
  const v = r.value;
  const norm = (s: unknown) => sql`crm_normalize(${String(s)})`;
  switch (r.op) {
    case 'eq':
      return sql<SqlBool>`${x} = ${norm(v)}`;
    case 'neq':
      return sql<SqlBool>`${x} <> ${norm(v)}`;
    case 'in':
      return sql<SqlBool>`${x} in (${sql.join((v as string[]).map(norm))})`;
    case 'not_in':
      return sql<SqlBool>`${x} not in (${sql.join((v as string[]).map(norm))})`;
    case 'contains':
      return sql<SqlBool>`${x} like '%' || crm_normalize(${escapeLike(String(v))}) || '%'`;
    case 'not_contains':
      return sql<SqlBool>`${x} not like '%' || crm_normalize(${escapeLike(String(v))}) || '%'`;
    case 'starts_with':
      return sql<SqlBool>`${x} like crm_normalize(${escapeLike(String(v))}) || '%'`;
    case 'is_empty':
      return sql<SqlBool>`${x} = ''`;
    case 'is_not_empty':
      return sql<SqlBool>`${x} <> ''`;
  }
  throw new Error(`operator ${r.op} on a string field`);
}

function enumRule(col: Sql, r: CriteriaRule): Pred {
  const list = () => sql.join((r.value as string[]).map((v) => sql`${v}`));
  switch (r.op) {
    case 'eq':
      return sql<SqlBool>`${col} = ${r.value}`;
    case 'neq':
      return sql<SqlBool>`${col} is distinct from ${r.value}`;
    case 'in':
      return sql<SqlBool>`${col} in (${list()})`;
    case 'not_in':
      return sql<SqlBool>`(${col} is null or ${col} not in (${list()}))`;
    case 'is_empty':
      return sql<SqlBool>`${col} is null`;
    case 'is_not_empty':
      return sql<SqlBool>`${col} is not null`;
  }
  throw new Error(`operator ${r.op} on an enum field`);
}

function numberRule(col: Sql, r: CriteriaRule): Pred {
  const num = (v: unknown) => sql`${Number(v)}::numeric`;
  switch (r.op) {
    case 'neq':
      return sql<SqlBool>`${col} is distinct from ${num(r.value)}`;
    case 'between': {
      const [a, b] = r.value as [number, number];
      return sql<SqlBool>`${col} between ${num(a)} and ${num(b)}`;
    }
    case 'is_empty':
      return sql<SqlBool>`${col} is null`;
    case 'is_not_empty':
      return sql<SqlBool>`${col} is not null`;
  }
  const op = cmp[r.op];
  if (!op) throw new Error(`operator ${r.op} on a number field`);
  return sql<SqlBool>`${col} ${sql.raw(op)} ${num(r.value)}`;
}

/** A date value as an instant; `end` gives the end of a plain date's day (for > and <=). */
export function criteriaInstant(v: string, end = false): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const start = Date.parse(`${v}T00:00:00Z`);
    return new Date(end ? start + DAY_MS : start);
  }
  return new Date(v);
}

function dateRule(col: Sql, r: CriteriaRule): Pred {
  const v = r.value;
  const plain = (x: unknown) => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x);
  switch (r.op) {
    case 'gt':
      // after a plain date means from the next day on
      return plain(v)
        ? sql<SqlBool>`${col} >= ${criteriaInstant(v as string, true)}`
        : sql<SqlBool>`${col} > ${criteriaInstant(v as string)}`;
    case 'gte':
      return sql<SqlBool>`${col} >= ${criteriaInstant(v as string)}`;
    case 'lt':
      return sql<SqlBool>`${col} < ${criteriaInstant(v as string)}`;
    case 'lte':
      return plain(v)
        ? sql<SqlBool>`${col} < ${criteriaInstant(v as string, true)}`
        : sql<SqlBool>`${col} <= ${criteriaInstant(v as string)}`;
    case 'between': {
      const [a, b] = v as [string, string];
      return sql<SqlBool>`(${dateRule(col, { ...r, op: 'gte', value: a })} and ${dateRule(col, { ...r, op: 'lte', value: b })})`;
    }
    case 'older_than_days':
      return sql<SqlBool>`${col} < ${daysAgo(v)}`;
    case 'within_last_days':
      return sql<SqlBool>`${col} >= ${daysAgo(v)}`;
    case 'is_empty':
      return sql<SqlBool>`${col} is null`;
    case 'is_not_empty':
      return sql<SqlBool>`${col} is not null`;
  }
  throw new Error(`operator ${r.op} on a date field`);
}

function booleanRule(field: CriteriaField, r: CriteriaRule): Pred {
  const expr =
    field.name === 'has_account'
      ? sql`(c.user_id is not null)`
      : sql`coalesce(c.communication_preferences -> 'do_not_contact' = 'true'::jsonb, false)`;
  return sql<SqlBool>`${expr} = ${r.value === true}`;
}

function ownerRule(r: CriteriaRule, ctx: CriteriaContext): Pred {
  const term = (v: unknown): Pred =>
    v === 'none'
      ? sql<SqlBool>`c.owner_id is null`
      : sql<SqlBool>`coalesce(c.owner_id = ${v === 'me' ? ctx.staffId : String(v)}::uuid, false)`;
  const values = r.op === 'in' || r.op === 'not_in' ? (r.value as unknown[]) : [r.value];
  const any = sql<SqlBool>`(${sql.join(values.map(term), sql` or `)})`;
  return r.op === 'eq' || r.op === 'in' ? any : sql<SqlBool>`not ${any}`;
}

function tagsRule(r: CriteriaRule): Pred {
  const values = r.value as string[];
  // a value matches a tag by name (case-insensitively) or, when it is a UUID, by id
  const match = (vs: string[]) => {
    const names = sql`lower(t.name) in (${sql.join(vs.map((v) => sql`lower(${v})`))})`;
    const ids = vs.filter((v) => UUID.test(v)).map((v) => v.toLowerCase());
    return ids.length ? sql`(${names} or t.id::text in (${sql.join(ids)}))` : names;
  };
  const has = (
    vs: string[],
  ) => sql<SqlBool>`exists (select 1 from customer_tags ct join tags t on t.id = ct.tag_id
    where ct.customer_id = c.id and ${match(vs)})`;
  if (r.op === 'has_any') return has(values);
  if (r.op === 'has_none') return sql<SqlBool>`not ${has(values)}`;
  return sql<SqlBool>`(${sql.join(
    values.map((v) => has([v])),
    sql` and `,
  )})`;
}

function ordersRule(r: CriteriaRule): Pred {
  const v = (r.value ?? {}) as {
    product_sku?: string;
    category?: string;
    product_id?: string;
    within_days?: number;
  };
  if (v.category !== undefined) {
    // per-customer category summary (migration 009): one index probe, not a join over every item
    const recent =
      v.within_days !== undefined ? sql`and cc.last_purchased_at >= ${daysAgo(v.within_days)}` : sql``;
    const bought = sql<SqlBool>`exists (select 1 from customer_categories cc
      where cc.customer_id = c.id and cc.category = crm_normalize(${v.category}) ${recent})`;
    return r.op === 'purchased' ? bought : sql<SqlBool>`not ${bought}`;
  }
  const conds: Sql[] = [kept];
  if (v.within_days !== undefined) conds.push(sql`o.placed_at >= ${daysAgo(v.within_days)}`);
  let item: Sql | null = null;
  if (v.product_sku !== undefined) item = sql`lower(oi.sku) = lower(${v.product_sku})`;
  else if (v.product_id !== undefined) item = sql`oi.product_id = ${v.product_id}::uuid`;
  if (item) conds.push(sql`exists (select 1 from order_items oi where oi.order_id = o.id and ${item})`);
  const bought = sql<SqlBool>`exists (select 1 from orders o where ${sql.join(conds, sql` and `)})`;
  return r.op === 'purchased' ? bought : sql<SqlBool>`not ${bought}`;
}

function windowRule(field: CriteriaField, r: CriteriaRule): Pred {
  const { days, amount } = r.value as { days: number; amount: number };
  const agg = field.name === 'spend_in_days' ? sql`coalesce(sum(o.total), 0)` : sql`count(*)`;
  const op = cmp[r.op];
  if (!op) throw new Error(`operator ${r.op} on ${field.name}`);
  return sql<SqlBool>`(select ${agg} from orders o where ${kept} and o.placed_at >= ${daysAgo(days)})
    ${sql.raw(op)} ${Number(amount)}::numeric`;
}
