import { type CustomerSortField, customerSortFields } from '../../../shared/customers.js';
import {
  type CustomerStatus,
  customerStatuses,
  type LifecycleStage,
  lifecycleStages,
} from '../../../shared/enums.js';

/**
 * The list's filters and sort, exactly as the URL search params and the API query name them,
 * so a URL can be shared and the query key follows the URL.
 */
export interface CustomerListFilters {
  q?: string;
  status?: CustomerStatus[];
  lifecycle_stage?: LifecycleStage[];
  min_lifetime_value?: number;
  max_lifetime_value?: number;
  min_orders?: number;
  max_orders?: number;
  last_order_after?: string;
  last_order_before?: string;
  acquisition_source?: string;
  country?: string;
  owner_id?: string;
  /** A criteria expression in the text form (`rfm_group = "champions"`), as links from other screens set it. */
  query?: string;
  sort: CustomerSortField;
  order: 'asc' | 'desc';
}

export const defaultSort: Pick<CustomerListFilters, 'sort' | 'order'> = { sort: 'created_at', order: 'desc' };

/** Filter keys the filter panel edits (everything but q, query and sort). */
export const filterKeys = [
  'status',
  'lifecycle_stage',
  'min_lifetime_value',
  'max_lifetime_value',
  'min_orders',
  'max_orders',
  'last_order_after',
  'last_order_before',
  'acquisition_source',
  'country',
  'owner_id',
] as const satisfies readonly (keyof CustomerListFilters)[];

function pickEnum<T extends string>(values: readonly T[], raw: string | null): T[] | undefined {
  if (!raw) return undefined;
  const picked = raw.split(',').filter((v): v is T => (values as readonly string[]).includes(v));
  return picked.length > 0 ? picked : undefined;
}

function pickNumber(raw: string | null): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function pickDate(raw: string | null): string | undefined {
  return raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : undefined;
}

function pickText(raw: string | null, max = 200): string | undefined {
  const text = raw?.trim();
  return text ? text.slice(0, max) : undefined;
}

export function parseListParams(params: URLSearchParams): CustomerListFilters {
  const sort = params.get('sort');
  const order = params.get('order');
  const country = pickText(params.get('country'), 2);
  return {
    q: pickText(params.get('q')),
    status: pickEnum(customerStatuses, params.get('status')),
    lifecycle_stage: pickEnum(lifecycleStages, params.get('lifecycle_stage')),
    min_lifetime_value: pickNumber(params.get('min_lifetime_value')),
    max_lifetime_value: pickNumber(params.get('max_lifetime_value')),
    min_orders: pickNumber(params.get('min_orders')),
    max_orders: pickNumber(params.get('max_orders')),
    last_order_after: pickDate(params.get('last_order_after')),
    last_order_before: pickDate(params.get('last_order_before')),
    acquisition_source: pickText(params.get('acquisition_source'), 100),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : undefined,
    owner_id: pickText(params.get('owner_id'), 64),
    query: pickText(params.get('query'), 4000),
    sort: (customerSortFields as readonly string[]).includes(sort ?? '')
      ? (sort as CustomerSortField)
      : defaultSort.sort,
    order: order === 'asc' || order === 'desc' ? order : defaultSort.order,
  };
}

/** Writes filters back to search params, leaving out defaults and empty values. */
export function toSearchParams(filters: CustomerListFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    if (key === 'sort' && value === defaultSort.sort) continue;
    if (key === 'order' && value === defaultSort.order && filters.sort === defaultSort.sort) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params;
}

export function countActiveFilters(filters: CustomerListFilters): number {
  let count = 0;
  for (const key of filterKeys) {
    const value = filters[key];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) count += 1;
  }
  return count;
}

/**
 * The list's filters as the bulk API's `filter` selection takes them: the URL's string values,
 * without sort and order ("every customer this list matches").
 */
export function toBulkFilter(filters: CustomerListFilters): Record<string, string> {
  const { sort: _sort, order: _order, ...rest } = filters;
  return Object.fromEntries(toSearchParams({ ...defaultSort, ...rest }).entries());
}
