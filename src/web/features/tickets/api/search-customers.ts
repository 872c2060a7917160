import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CustomerList } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** Not in query-keys.ts: a small lookup only the ticket form uses, under the customers key. */
const customerSearchKey = (q: string) => [...queryKeys.customers.all, 'ticket-search', q] as const;

export function searchCustomers(q: string, signal?: AbortSignal): Promise<CustomerList> {
  return apiRequest<CustomerList>('/crm/customers', { query: { q, limit: 20 }, signal });
}

export const customerSearchQueryOptions = (q: string) =>
  queryOptions({
    queryKey: customerSearchKey(q),
    queryFn: ({ signal }) => searchCustomers(q, signal),
    staleTime: 30_000,
  });

/** Customers matching the text, to pick one for a ticket. */
export function useCustomerSearch(q: string, enabled = true) {
  return useQuery({ ...customerSearchQueryOptions(q), enabled, placeholderData: keepPreviousData });
}
