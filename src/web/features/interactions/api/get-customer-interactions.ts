import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { InteractionList, InteractionType } from '../../../../shared/interactions.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export const interactionPageSize = 20;

export function getCustomerInteractions(
  customerId: string,
  type: InteractionType | null,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<InteractionList> {
  return apiRequest<InteractionList>(`/crm/customers/${encodeURIComponent(customerId)}/interactions`, {
    query: { interaction_type: type, limit: interactionPageSize, cursor },
    signal,
  });
}

/** Newest first by when they happened; next_cursor loads more. */
export const customerInteractionsQueryOptions = (customerId: string, type: InteractionType | null) =>
  infiniteQueryOptions({
    queryKey: queryKeys.interactions.list(customerId, type),
    queryFn: ({ pageParam, signal }) => getCustomerInteractions(customerId, type, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    staleTime: 15_000,
  });

export function useCustomerInteractions(customerId: string, type: InteractionType | null) {
  return useInfiniteQuery(customerInteractionsQueryOptions(customerId, type));
}
