import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { TimelineEvent, TimelineKind } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export interface TimelinePage {
  data: TimelineEvent[];
  next_cursor: string | null;
}

export function getCustomerTimeline(
  id: string,
  kinds: readonly TimelineKind[],
  cursor: string | undefined,
  signal?: AbortSignal,
) {
  return apiRequest<TimelinePage>(`/crm/customers/${encodeURIComponent(id)}/timeline`, {
    query: { kind: kinds, limit: 20, cursor },
    signal,
  });
}

export const customerTimelineQueryOptions = (id: string, kinds: readonly TimelineKind[]) =>
  infiniteQueryOptions({
    queryKey: queryKeys.customers.timeline(id, kinds),
    queryFn: ({ pageParam, signal }) => getCustomerTimeline(id, kinds, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });

export function useCustomerTimeline(id: string, kinds: readonly TimelineKind[]) {
  return useInfiniteQuery(customerTimelineQueryOptions(id, kinds));
}
