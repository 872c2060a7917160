import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CustomerList } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function searchCustomers(q: string, signal?: AbortSignal): Promise<CustomerList> {
  return apiRequest<CustomerList>('/crm/customers', {
    query: { q: q || undefined, sort: 'updated_at', order: 'desc', limit: 20 },
    signal,
  });
}

export const customerSearchQueryOptions = (q: string) =>
  queryOptions({
    queryKey: queryKeys.customers.search(q),
    queryFn: ({ signal }) => searchCustomers(q, signal),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

/** Up to 20 customers matching the search (the most recently changed when it is empty), for pickers. */
export function useCustomerSearch(q: string) {
  return useQuery(customerSearchQueryOptions(q));
}
