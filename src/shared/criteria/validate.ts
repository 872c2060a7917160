import type { FieldError } from '../problem.js';
import { CRITERIA_LIMITS, type CriteriaGroup, type CriteriaOp, criteriaOps } from './ast.js';
import { type CriteriaField, criteriaField, criteriaFields } from './fields.js';

export type CriteriaValidation = { ok: true; criteria: CriteriaGroup } | { ok: false; errors: FieldError[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_DAYS = 36_500;
const MAX_NUMBER = 1e12;

/** True for `YYYY-MM-DD` (a real day) or an ISO date-time with an offset. */
export function isCriteriaDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  if (DATE.test(v)) {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  }
  return DATETIME.test(v) && !Number.isNaN(new Date(v).getTime());
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a criteria tree against the catalogue: structure, limits, known fields, operators the
 * field allows and value types. Errors name the JSON path from `prefix`, e.g.
 * `criteria.rules[2].op`. Never throws, whatever the input.
 */
export function validateCriteria(input: unknown, prefix = 'criteria'): CriteriaValidation {
  const errors: FieldError[] = [];
  let nodes = 0;
  const err = (field: string, message: string): false => {
    if (errors.length < 20) errors.push({ field, message });
    return false;
  };

  const group = (g: unknown, path: string, depth: number): boolean => {
    if (!isObject(g)) return err(path, 'Expected a group {match, rules}');
    for (const k of Object.keys(g)) {
      if (k !== 'match' && k !== 'not' && k !== 'rules') err(`${path}.${k}`, `Unknown key "${k}" in a group`);
    }
    if (g.match !== 'all' && g.match !== 'any') err(`${path}.match`, 'Use "all" or "any"');
    if (g.not !== undefined && typeof g.not !== 'boolean') err(`${path}.not`, 'Expected true or false');
    if (!Array.isArray(g.rules)) return err(`${path}.rules`, 'Expected a list of rules');
    if (depth > 0 && g.rules.length === 0) err(`${path}.rules`, 'A nested group needs at least one rule');
    g.rules.map((node, i) => {
      const p = `${path}.rules[${i}]`;
      nodes += 1;
      if (nodes > CRITERIA_LIMITS.maxNodes) {
        if (nodes === CRITERIA_LIMITS.maxNodes + 1) err(p, `At most ${CRITERIA_LIMITS.maxNodes} rules`);
        return false;
      }
      if (isObject(node) && 'match' in node) {
        if (depth + 1 > CRITERIA_LIMITS.maxDepth)
          return err(p, `Groups nest at most ${CRITERIA_LIMITS.maxDepth} deep`);
        return group(node, p, depth + 1);
      }
      return rule(node, p);
    });
    return true;
  };

  const rule = (r: unknown, path: string): boolean => {
    if (!isObject(r)) return err(path, 'Expected a rule {field, op, value} or a group');
    for (const k of Object.keys(r)) {
      if (k !== 'field' && k !== 'op' && k !== 'value') err(`${path}.${k}`, `Unknown key "${k}" in a rule`);
    }
    if (typeof r.field !== 'string') return err(`${path}.field`, 'Expected a field name');
    const field = criteriaField(r.field);
    if (!field) {
      return err(
        `${path}.field`,
        `Unknown field "${clip(r.field)}"; known fields: ${criteriaFields.map((f) => f.name).join(', ')}`,
      );
    }
    if (typeof r.op !== 'string' || !(field.ops as readonly string[]).includes(r.op)) {
      const what = typeof r.op === 'string' ? `"${clip(r.op)}"` : 'missing';
      const known = (criteriaOps as readonly string[]).includes(String(r.op));
      return err(
        `${path}.op`,
        `${known ? 'Operator' : 'Unknown operator'} ${what} ${known ? 'is not allowed' : ''} for field "${field.name}"; use one of ${field.ops.join(', ')}`.replace(
          /\s+/g,
          ' ',
        ),
      );
    }
    const problem = valueProblem(field, r.op as CriteriaOp, r.value);
    return problem ? err(`${path}.value`, `${field.name} ${r.op}: ${problem}`) : true;
  };

  group(input, prefix, 0);
  return errors.length ? { ok: false, errors } : { ok: true, criteria: input as CriteriaGroup };
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function list(v: unknown, each: (x: unknown) => string | null): string | null {
  if (!Array.isArray(v) || v.length === 0) return 'expected a non-empty list';
  if (v.length > CRITERIA_LIMITS.maxListValues) return `at most ${CRITERIA_LIMITS.maxListValues} values`;
  for (const x of v) {
    const p = each(x);
    if (p) return p;
  }
  return null;
}

function text(v: unknown): string | null {
  if (typeof v !== 'string' || v.length === 0) return 'expected a non-empty string';
  if (v.length > CRITERIA_LIMITS.maxStringLength)
    return `at most ${CRITERIA_LIMITS.maxStringLength} characters`;
  return null;
}

function days(v: unknown, min = 0): string | null {
  return Number.isInteger(v) && (v as number) >= min && (v as number) <= MAX_DAYS
    ? null
    : `expected a whole number of days from ${min} to ${MAX_DAYS}`;
}

function numberIn(field: Pick<CriteriaField, 'min' | 'max' | 'integer'>) {
  return (v: unknown): string | null => {
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_NUMBER) return 'expected a number';
    if (field.integer && !Number.isInteger(v)) return 'expected a whole number';
    if (field.min !== undefined && v < field.min) return `expected at least ${field.min}`;
    if (field.max !== undefined && v > field.max) return `expected at most ${field.max}`;
    return null;
  };
}

function pair(v: unknown, each: (x: unknown) => string | null): string | null {
  if (!Array.isArray(v) || v.length !== 2) return 'expected [from, to]';
  return each(v[0]) ?? each(v[1]);
}

const ownerValue = (v: unknown) =>
  v === 'me' || v === 'none' || (typeof v === 'string' && UUID.test(v))
    ? null
    : 'expected a staff id, "me" or "none"';
const dateValue = (v: unknown) => (isCriteriaDate(v) ? null : 'expected a date such as "2026-01-31"');

function valueProblem(field: CriteriaField, op: CriteriaOp, v: unknown): string | null {
  if (op === 'is_empty' || op === 'is_not_empty') {
    return v === undefined || v === null ? null : 'takes no value';
  }
  const isList = op === 'in' || op === 'not_in';
  switch (field.type) {
    case 'string':
      return isList ? list(v, text) : text(v);
    case 'enum': {
      const one = (x: unknown) =>
        typeof x === 'string' && field.values?.includes(x)
          ? null
          : `expected one of ${field.values?.join(', ')}`;
      return isList ? list(v, one) : one(v);
    }
    case 'number':
      return op === 'between' ? pair(v, numberIn(field)) : numberIn(field)(v);
    case 'date':
      if (op === 'older_than_days' || op === 'within_last_days') return days(v);
      return op === 'between' ? pair(v, dateValue) : dateValue(v);
    case 'boolean':
      return typeof v === 'boolean' ? null : 'expected true or false';
    case 'owner':
      return isList ? list(v, ownerValue) : ownerValue(v);
    case 'tags':
      return list(v, (x) => (text(x) ? 'expected tag names or ids' : null));
    case 'segments':
      return list(v, (x) => (typeof x === 'string' && UUID.test(x) ? null : 'expected segment ids'));
    case 'orders': {
      if (!isObject(v)) return 'expected {product_sku | category | product_id, within_days}';
      for (const k of Object.keys(v)) {
        if (!['product_sku', 'category', 'product_id', 'within_days'].includes(k))
          return `unknown key "${clip(k)}"`;
      }
      const which = ['product_sku', 'category', 'product_id'].filter((k) => v[k] !== undefined);
      if (which.length > 1) return 'give at most one of product_sku, category, product_id';
      if (v.product_sku !== undefined && text(v.product_sku))
        return 'product_sku: expected a non-empty string';
      if (v.category !== undefined && text(v.category)) return 'category: expected a non-empty string';
      if (v.product_id !== undefined && !(typeof v.product_id === 'string' && UUID.test(v.product_id)))
        return 'product_id: expected a product id';
      if (v.within_days !== undefined && days(v.within_days, 1))
        return `within_days: ${days(v.within_days, 1)}`;
      return null;
    }
    case 'order_window': {
      if (!isObject(v)) return 'expected {days, amount}';
      for (const k of Object.keys(v)) if (k !== 'days' && k !== 'amount') return `unknown key "${clip(k)}"`;
      const d = days(v.days, 1);
      if (d) return `days: ${d}`;
      const a = numberIn(field)(v.amount);
      return a ? `amount: ${a}` : null;
    }
  }
}
