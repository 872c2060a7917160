import { criteriaFields } from './criteria/fields.js';

/**
 * What an export column holds, so writers can type their cells: `text`, `integer`, `money`
 * (two decimals), `date` (a date-time), `boolean`, `list` (names joined with ", ").
 */
export type ExportValueKind = 'text' | 'integer' | 'money' | 'date' | 'boolean' | 'list';
export type ExportFieldGroup = 'profile' | 'contact' | 'metrics' | 'lifecycle' | 'tags_segments';

export interface ExportField {
  name: string;
  label: string;
  kind: ExportValueKind;
  group: ExportFieldGroup;
  /** Personal data (names, emails, phones, addresses): masked unless the requester has `export:pii`. */
  pii: boolean;
}

const personal = new Set(['first_name', 'last_name', 'email', 'phone', 'city', 'region', 'postal_code']);
const contact = new Set(['email', 'email_domain', 'phone', 'country', 'city', 'region', 'postal_code']);
const lifecycle = new Set([
  'customer_status',
  'lifecycle_stage',
  'rfm_recency',
  'rfm_frequency',
  'rfm_monetary',
  'rfm_group',
]);
const metrics = new Set([
  'first_order_date',
  'last_order_date',
  'lifetime_value',
  'total_orders',
  'average_order_value',
  'customer_value',
]);
const money = new Set(['lifetime_value', 'average_order_value', 'customer_value']);

function groupOf(name: string, type: string): ExportFieldGroup {
  if (type === 'tags' || type === 'segments') return 'tags_segments';
  if (contact.has(name)) return 'contact';
  if (metrics.has(name)) return 'metrics';
  if (lifecycle.has(name)) return 'lifecycle';
  return 'profile';
}

function kindOf(name: string, type: string, integer?: boolean): ExportValueKind {
  if (type === 'tags' || type === 'segments') return 'list';
  if (type === 'number') return money.has(name) ? 'money' : integer ? 'integer' : 'money';
  if (type === 'date') return 'date';
  if (type === 'boolean') return 'boolean';
  return 'text';
}

/** Labels that read better as column headings than as filter names. */
const headings: Record<string, string> = {
  email: 'Email',
  phone: 'Phone',
  city: 'City',
  region: 'Region',
  postal_code: 'Postal code',
  country: 'Country',
  owner: 'Owner',
};

/**
 * Export columns: the criteria catalogue's fields that are one value per customer (order
 * patterns such as "purchased" are filters, not columns), plus the ids and the street address.
 * Addresses are the customer's primary address.
 */
export const exportFields: readonly ExportField[] = [
  { name: 'id', label: 'Customer id', kind: 'text', group: 'profile', pii: false },
  { name: 'user_id', label: 'Platform user id', kind: 'text', group: 'profile', pii: false },
  ...criteriaFields
    .filter((f) => f.type !== 'orders' && f.type !== 'order_window')
    .map<ExportField>((f) => ({
      name: f.name,
      label: headings[f.name] ?? f.label,
      kind: kindOf(f.name, f.type, f.integer),
      group: groupOf(f.name, f.type),
      pii: personal.has(f.name),
    })),
  { name: 'street', label: 'Street address', kind: 'text', group: 'contact', pii: true },
];

export const exportFieldNames = exportFields.map((f) => f.name) as [string, ...string[]];

const byName = new Map(exportFields.map((f) => [f.name, f]));
export function exportField(name: string): ExportField | undefined {
  return byName.get(name);
}

/** Preselected in the export dialog: who they are, how to reach them, what they are worth. */
export const defaultExportFields = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'company',
  'country',
  'customer_status',
  'lifecycle_stage',
  'total_orders',
  'lifetime_value',
  'last_order_date',
  'tags',
];
