import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { ThreadList } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getThreads(customerId: string, cursor: string | undefined, signal?: AbortSignal) {
  return apiRequest<ThreadList>(`/crm/communications/${encodeURIComponent(customerId)}`, {
    query: { limit: 20, cursor },
    signal,
  });
}

/**
 * The customer's email threads, newest first, a page at a time. The live customer stream
 * invalidates this key, so opens and clicks show up while the profile is open.
 */
export const threadsQueryOptions = (customerId: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.communications.threads(customerId),
    queryFn: ({ pageParam, signal }) => getThreads(customerId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    // mail just sent is queued until its delivery job has run: look again shortly, so its
    // status moves on even where the live stream is not connected
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) =>
        page.data.some((thread) => thread.messages.some((m) => m.status === 'queued')),
      )
        ? 3_000
        : false,
  });

export function useThreads(customerId: string) {
  return useInfiniteQuery(threadsQueryOptions(customerId));
}
