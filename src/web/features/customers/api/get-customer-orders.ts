import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { Order } from '../../../../shared/orders.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export interface CustomerOrdersPage {
  data: Order[];
  next_cursor: string | null;
}

export function getCustomerOrders(id: string, cursor: string | undefined, signal?: AbortSignal) {
  return apiRequest<CustomerOrdersPage>(`/crm/customers/${encodeURIComponent(id)}/orders`, {
    query: { limit: 10, cursor },
    signal,
  });
}

export const customerOrdersQueryOptions = (id: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.customers.orders(id),
    queryFn: ({ pageParam, signal }) => getCustomerOrders(id, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });

export function useCustomerOrders(id: string) {
  return useInfiniteQuery(customerOrdersQueryOptions(id));
}
