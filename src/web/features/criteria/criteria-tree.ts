import {
  type CriteriaGroup,
  type CriteriaNode,
  type CriteriaRule,
  type CriteriaSyntaxError,
  criteriaGroupSchema,
  isGroup,
  printCriteria,
} from '../../../shared/criteria/index.js';
import type { CriteriaFieldInfo } from './api/get-criteria-fields.js';

/** An empty tree: matches every customer. */
export const emptyCriteria = (): CriteriaGroup => ({ match: 'all', rules: [] });

/** A stored tree (`unknown` in the API) as a group, or an empty one when it has none. */
export function toCriteriaGroup(value: unknown): CriteriaGroup {
  const parsed = criteriaGroupSchema.safeParse(value);
  return parsed.success ? parsed.data : emptyCriteria();
}

/**
 * What a rule's value looks like for a field type and operator; the value input is chosen by it,
 * and a value survives an operator change when the shape stays (or converts, one ↔ list).
 */
export type ValueShape =
  | 'none'
  | 'text'
  | 'textList'
  | 'number'
  | 'numberPair'
  | 'date'
  | 'datePair'
  | 'days'
  | 'enum'
  | 'enumList'
  | 'boolean'
  | 'owner'
  | 'ownerList'
  | 'tags'
  | 'segments'
  | 'orders'
  | 'window';

export function valueShape(type: CriteriaFieldInfo['type'] | undefined, op: string): ValueShape {
  if (op === 'is_empty' || op === 'is_not_empty') return 'none';
  const list = op === 'in' || op === 'not_in';
  switch (type) {
    case 'string':
      return list ? 'textList' : 'text';
    case 'enum':
      return list ? 'enumList' : 'enum';
    case 'owner':
      return list ? 'ownerList' : 'owner';
    case 'number':
      return op === 'between' ? 'numberPair' : 'number';
    case 'date':
      if (op === 'older_than_days' || op === 'within_last_days') return 'days';
      return op === 'between' ? 'datePair' : 'date';
    case 'boolean':
      return 'boolean';
    case 'tags':
      return 'tags';
    case 'segments':
      return 'segments';
    case 'orders':
      return 'orders';
    case 'order_window':
      return 'window';
    default:
      return 'text';
  }
}

const singleOf: Partial<Record<ValueShape, ValueShape>> = {
  textList: 'text',
  enumList: 'enum',
  ownerList: 'owner',
  numberPair: 'number',
  datePair: 'date',
};

/** The value a fresh rule of this shape starts with (undefined: the user fills it in). */
export function defaultValue(shape: ValueShape): unknown {
  if (shape === 'boolean') return true;
  if (shape === 'orders') return {};
  if (shape === 'window') return { days: 30 };
  return undefined;
}

/** Keeps what the user typed across an operator change when it still fits. */
export function convertValue(value: unknown, from: ValueShape, to: ValueShape): unknown {
  if (from === to) return value;
  if (value === undefined || to === 'none') return defaultValue(to);
  if (singleOf[to] === from) {
    // one value → a list (or the first of a pair)
    if (to === 'numberPair' || to === 'datePair') return [value, undefined];
    return [value];
  }
  if (singleOf[from] === to && Array.isArray(value)) return value[0];
  return defaultValue(to);
}

/** A rule on this field with its first operator. */
export function newRule(field: CriteriaFieldInfo): CriteriaRule {
  const op = field.ops[0] ?? 'eq';
  const value = defaultValue(valueShape(field.type, op));
  return value === undefined ? { field: field.name, op } : { field: field.name, op, value };
}

/** The rule after picking another field: its first operator, and a fresh value. */
export function changeField(field: CriteriaFieldInfo): CriteriaRule {
  return newRule(field);
}

/** The rule after picking another operator: the value is kept when it still fits. */
export function changeOp(rule: CriteriaRule, field: CriteriaFieldInfo | undefined, op: string): CriteriaRule {
  const value = convertValue(rule.value, valueShape(field?.type, rule.op), valueShape(field?.type, op));
  return value === undefined ? { field: rule.field, op } : { field: rule.field, op, value };
}

/** Sets a rule's value; `undefined` drops the key, so the JSON stays tidy. */
export function withValue(rule: CriteriaRule, value: unknown): CriteriaRule {
  return value === undefined ? { field: rule.field, op: rule.op } : { ...rule, value };
}

const orderFieldNames = new Set([
  'lifetime_value',
  'total_orders',
  'average_order_value',
  'customer_value',
  'first_order_date',
  'last_order_date',
]);
const profileFieldNames = new Set([
  'customer_status',
  'lifecycle_stage',
  'preferred_contact_method',
  'owner',
  'acquisition_source',
  'acquisition_date',
  'created_at',
  'has_account',
  'do_not_contact',
]);

/** The order categories appear in the field picker. */
export const fieldCategories = [
  'Contact',
  'Profile',
  'Orders and value',
  'Tags and segments',
  'RFM',
  'Other',
] as const;
export type FieldCategory = (typeof fieldCategories)[number];

/** The group a field is listed under in the field picker (the catalogue carries no category). */
export function fieldCategory(field: Pick<CriteriaFieldInfo, 'name' | 'type'>): FieldCategory {
  if (field.type === 'tags' || field.type === 'segments') return 'Tags and segments';
  if (field.name.startsWith('rfm_')) return 'RFM';
  if (field.type === 'orders' || field.type === 'order_window' || orderFieldNames.has(field.name))
    return 'Orders and value';
  if (profileFieldNames.has(field.name)) return 'Profile';
  if (field.type === 'string') return 'Contact';
  return 'Other';
}

/** Field picker data: fields grouped by category, in catalogue order within each. */
export function fieldSelectData(fields: readonly CriteriaFieldInfo[]) {
  return fieldCategories
    .map((group) => ({
      group,
      items: fields.filter((f) => fieldCategory(f) === group).map((f) => ({ value: f.name, label: f.label })),
    }))
    .filter((g) => g.items.length > 0);
}

const dateOpLabels: Record<string, string> = {
  gt: 'is after',
  gte: 'is on or after',
  lt: 'is before',
  lte: 'is on or before',
  between: 'is between',
  older_than_days: 'over N days ago',
  within_last_days: 'in the last N days',
};
const numberOpLabels: Record<string, string> = {
  eq: 'equals',
  neq: 'does not equal',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  between: 'is between',
};
const opLabels: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is any of',
  not_in: 'is none of',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  has_any: 'has any of',
  has_all: 'has all of',
  has_none: 'has none of',
  purchased: 'purchased',
  not_purchased: 'did not purchase',
};

/** A readable name for an operator, in the words that suit the field's type. */
export function opLabel(op: string, type: CriteriaFieldInfo['type'] | undefined): string {
  if (type === 'date' && dateOpLabels[op]) return dateOpLabels[op];
  if ((type === 'number' || type === 'order_window') && numberOpLabels[op]) return numberOpLabels[op];
  return opLabels[op] ?? numberOpLabels[op] ?? op;
}

/** 1-based numbers for a node's place in the tree: `[2, 0]` → "3.1". */
export const nodeNumber = (path: readonly number[]) => path.map((i) => i + 1).join('.');

const blank = (v: unknown) => (v === undefined || v === null ? '' : v);

/**
 * A copy the text printer can print even while rules are unfinished: missing values become ""
 * (the text form then shows the gap, and validation names it) and empty nested groups, which the
 * text form cannot express, are left out.
 */
export function printableCriteria(root: CriteriaGroup): CriteriaGroup {
  const node = (n: CriteriaNode): CriteriaNode | null => {
    if (isGroup(n)) {
      const rules = n.rules.map(node).filter((r): r is CriteriaNode => r !== null);
      return rules.length ? { ...n, rules } : null;
    }
    if (n.op === 'is_empty' || n.op === 'is_not_empty') return { field: n.field, op: n.op };
    if (n.op === 'purchased' || n.op === 'not_purchased') return { ...n, value: n.value ?? {} };
    const v = n.value;
    if (n.op === 'between') {
      const [from, to] = Array.isArray(v) ? v : [];
      return { ...n, value: [blank(from), blank(to)] };
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return { ...n, value: { ...o, days: o.days ?? 0, amount: o.amount ?? 0 } };
    }
    if (Array.isArray(v)) return { ...n, value: v.length ? v.map(blank) : [''] };
    return { ...n, value: blank(v) };
  };
  const rules = root.rules.map(node).filter((r): r is CriteriaNode => r !== null);
  return { ...root, rules };
}

/** The text form of a tree, even an unfinished one. */
export const criteriaToText = (root: CriteriaGroup) => printCriteria(printableCriteria(root));

/** Line and column (1-based) of a 0-based position in the text. */
export function textPosition(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** "Line 1, column 18: Expected a value but found the end". */
export function describeSyntaxError(text: string, error: CriteriaSyntaxError): string {
  const { line, column } = textPosition(text, error.position);
  return `Line ${line}, column ${column}: ${error.message}`;
}

/**
 * An error path from the server or validateCriteria (`criteria.rules[2].rules[0].value`) in the
 * builder's words ("Rule 3.1"), or null when it names no rule.
 */
export function ruleOfPath(path: string): string | null {
  const indices = [...path.matchAll(/rules[[.](\d+)/g)].map((m) => Number(m[1]));
  return indices.length ? `Rule ${nodeNumber(indices)}` : null;
}
