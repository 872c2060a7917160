import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Customer } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getCustomer(id: string, signal?: AbortSignal): Promise<Customer> {
  return apiRequest<Customer>(`/crm/customers/${encodeURIComponent(id)}`, { signal });
}

export const customerQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.customers.detail(id),
    queryFn: ({ signal }) => getCustomer(id, signal),
  });

export function useCustomer(id: string) {
  return useQuery(customerQueryOptions(id));
}
