import { infiniteQueryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CustomerList } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';
import type { CustomerListFilters } from '../customer-list-params.js';

export const customerPageSize = 100;

export function getCustomers(
  filters: CustomerListFilters,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<CustomerList> {
  return apiRequest<CustomerList>('/crm/customers', {
    query: { ...filters, limit: customerPageSize, cursor },
    signal,
  });
}

/** Keyset pages: each page's next_cursor fetches the following one with the same filters and sort. */
export const customersInfiniteQueryOptions = (filters: CustomerListFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.customers.list(filters),
    queryFn: ({ pageParam, signal }) => getCustomers(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    staleTime: 30_000,
  });

export function useCustomers(filters: CustomerListFilters) {
  return useInfiniteQuery(customersInfiniteQueryOptions(filters));
}

export function getCustomerCount(
  filters: CustomerListFilters,
  signal?: AbortSignal,
): Promise<{ total: number }> {
  return apiRequest<{ total: number }>('/crm/customers/count', { query: { ...filters }, signal });
}

/**
 * The exact count, asked for only when the list's own total stopped at its cap ("10,000+"):
 * it can take a moment on a broad search, so it never delays the rows.
 */
export function useExactCustomerCount(filters: CustomerListFilters, enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.customers.list(filters), 'count'] as const,
    queryFn: ({ signal }) => getCustomerCount(filters, signal),
    enabled,
    staleTime: 30_000,
  });
}
