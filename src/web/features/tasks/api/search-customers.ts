import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CustomerList } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** A key of its own: the customer list caches infinite pages under customers.list(...). */
const pickerKey = (q: string) => [...queryKeys.customers.all, 'task-picker', q] as const;

export function searchCustomers(q: string, signal?: AbortSignal): Promise<CustomerList> {
  return apiRequest<CustomerList>('/crm/customers', {
    query: { q: q || undefined, sort: 'updated_at', order: 'desc', limit: 20 },
    signal,
  });
}

export const customerSearchQueryOptions = (q: string) =>
  queryOptions({
    queryKey: pickerKey(q),
    queryFn: ({ signal }) => searchCustomers(q, signal),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

/** Up to 20 customers matching the search (the most recently changed when it is empty). */
export function useCustomerSearch(q: string, enabled = true) {
  return useQuery({ ...customerSearchQueryOptions(q), enabled });
}
