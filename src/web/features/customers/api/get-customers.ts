import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
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
