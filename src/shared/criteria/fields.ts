import { contactMethods, customerStatuses, lifecycleStages } from '../enums.js';
import type { CriteriaOp } from './ast.js';

/**
 * Value kinds: `string` (case- and accent-insensitive), `number`, `date` (ISO date or date-time),
 * `enum` (one of `values`), `boolean`, `owner` (staff id, `me` or `none`), `tags` (tag names or
 * ids), `segments` (segment ids), `orders` (a purchase pattern) and `order_window` (a count or
 * sum over the last N days compared with an amount).
 */
export type CriteriaFieldType =
  | 'string'
  | 'number'
  | 'date'
  | 'enum'
  | 'boolean'
  | 'owner'
  | 'tags'
  | 'segments'
  | 'orders'
  | 'order_window';

export interface CriteriaField {
  name: string;
  label: string;
  type: CriteriaFieldType;
  ops: readonly CriteriaOp[];
  /** Allowed values of an enum. */
  values?: readonly string[];
  /** The column can be empty (NULL), so `is_empty` / `is_not_empty` apply. */
  nullable?: boolean;
  /** Numeric bounds and whether the number must be whole. */
  min?: number;
  max?: number;
  integer?: boolean;
}

export const rfmGroups = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cannot_lose',
  'hibernating',
  'lost',
] as const;

const stringOps = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'is_empty',
  'is_not_empty',
] as const satisfies readonly CriteriaOp[];
const enumOps = ['eq', 'neq', 'in', 'not_in'] as const satisfies readonly CriteriaOp[];
const numberOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'] as const satisfies readonly CriteriaOp[];
const dateOps = [
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'older_than_days',
  'within_last_days',
] as const satisfies readonly CriteriaOp[];
const emptyOps = ['is_empty', 'is_not_empty'] as const satisfies readonly CriteriaOp[];
const compareOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const satisfies readonly CriteriaOp[];

const text = (name: string, label: string): CriteriaField => ({
  name,
  label,
  type: 'string',
  ops: stringOps,
});
const money = (name: string, label: string): CriteriaField => ({
  name,
  label,
  type: 'number',
  ops: numberOps,
  min: 0,
});
const rfmScore = (name: string, label: string): CriteriaField => ({
  name,
  label,
  type: 'number',
  ops: [...numberOps, ...emptyOps],
  nullable: true,
  min: 1,
  max: 5,
  integer: true,
});

/** The one list of fields the criteria language knows; the UI builder is driven by it. */
export const criteriaFields: readonly CriteriaField[] = [
  text('first_name', 'First name'),
  text('last_name', 'Last name'),
  text('company', 'Company'),
  text('email', 'Email (primary)'),
  text('email_domain', 'Email domain'),
  text('phone', 'Phone (primary)'),
  text('country', 'Country (ISO code)'),
  // any of the customer's addresses; negations mean "none of them"
  text('city', 'City (any address)'),
  text('region', 'Region (any address)'),
  text('postal_code', 'Postal code (any address)'),
  text('acquisition_source', 'Acquisition source'),
  { name: 'customer_status', label: 'Status', type: 'enum', ops: enumOps, values: customerStatuses },
  { name: 'lifecycle_stage', label: 'Lifecycle stage', type: 'enum', ops: enumOps, values: lifecycleStages },
  {
    name: 'preferred_contact_method',
    label: 'Preferred contact method',
    type: 'enum',
    ops: enumOps,
    values: contactMethods,
  },
  { name: 'acquisition_date', label: 'Acquired', type: 'date', ops: dateOps },
  { name: 'created_at', label: 'Created', type: 'date', ops: dateOps },
  {
    name: 'first_order_date',
    label: 'First order',
    type: 'date',
    ops: [...dateOps, ...emptyOps],
    nullable: true,
  },
  {
    name: 'last_order_date',
    label: 'Last order',
    type: 'date',
    ops: [...dateOps, ...emptyOps],
    nullable: true,
  },
  money('lifetime_value', 'Lifetime value'),
  { name: 'total_orders', label: 'Orders', type: 'number', ops: numberOps, min: 0, integer: true },
  money('average_order_value', 'Average order value'),
  money('customer_value', 'Customer value'),
  { name: 'owner', label: 'Owner', type: 'owner', ops: enumOps },
  { name: 'has_account', label: 'Has a platform account', type: 'boolean', ops: ['eq'] },
  { name: 'do_not_contact', label: 'Do not contact', type: 'boolean', ops: ['eq'] },
  { name: 'tags', label: 'Tags', type: 'tags', ops: ['has_any', 'has_all', 'has_none'] },
  { name: 'segments', label: 'Segments', type: 'segments', ops: ['in', 'not_in'] },
  rfmScore('rfm_recency', 'RFM recency'),
  rfmScore('rfm_frequency', 'RFM frequency'),
  rfmScore('rfm_monetary', 'RFM monetary'),
  {
    name: 'rfm_group',
    label: 'RFM group',
    type: 'enum',
    ops: [...enumOps, ...emptyOps],
    values: rfmGroups,
    nullable: true,
  },
  { name: 'orders', label: 'Purchased', type: 'orders', ops: ['purchased', 'not_purchased'] },
  {
    name: 'orders_count_in_days',
    label: 'Orders in the last N days',
    type: 'order_window',
    ops: compareOps,
    integer: true,
    min: 0,
  },
  { name: 'spend_in_days', label: 'Spend in the last N days', type: 'order_window', ops: compareOps, min: 0 },
];

const byName = new Map(criteriaFields.map((f) => [f.name, f]));

/** The catalogue entry for a field name, or undefined. */
export function criteriaField(name: string): CriteriaField | undefined {
  return byName.get(name);
}
