import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { CustomerList, CustomerSortField } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export const segmentMemberPageSize = 25;

export interface SegmentCustomerParams {
  sort?: CustomerSortField;
  order?: 'asc' | 'desc';
}

export function getSegmentCustomers(
  id: string,
  params: SegmentCustomerParams,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<CustomerList> {
  return apiRequest<CustomerList>(`/crm/segments/${encodeURIComponent(id)}/customers`, {
    query: { ...params, limit: segmentMemberPageSize, cursor },
    signal,
  });
}

/** Keyset pages of the segment's members, like the customer list. */
export const segmentCustomersInfiniteQueryOptions = (id: string, params: SegmentCustomerParams = {}) =>
  infiniteQueryOptions({
    queryKey: queryKeys.segments.customers(id, { ...params }),
    queryFn: ({ pageParam, signal }) => getSegmentCustomers(id, params, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    staleTime: 30_000,
  });

export function useSegmentCustomers(id: string, params: SegmentCustomerParams = {}) {
  return useInfiniteQuery(segmentCustomersInfiniteQueryOptions(id, params));
}
