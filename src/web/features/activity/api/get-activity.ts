import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { type Activity, type TimelineKind, timelineKinds } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export type ActivityEvent = Activity['data'][number];

export interface ActivityFilters {
  /** A staff id, `me`, or null for everyone. */
  actor: string | null;
  kinds: readonly TimelineKind[];
}

const PAGE_SIZE = 30;

/**
 * Segment membership follows from what staff did (one segment edit moves thousands of customers)
 * and would bury everything else, so "all kinds" means all but those, unless they are chosen.
 */
export const defaultActivityKinds: readonly TimelineKind[] = timelineKinds.filter(
  (k) => k !== 'segment_entered' && k !== 'segment_left',
);

export function getActivity(
  filters: ActivityFilters,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<Activity> {
  return apiRequest<Activity>('/crm/activity', {
    query: {
      actor_id: filters.actor,
      kind: filters.kinds.length ? filters.kinds : defaultActivityKinds,
      limit: PAGE_SIZE,
      cursor,
    },
    signal,
  });
}

export const activityQueryOptions = (filters: ActivityFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.activity.list({ actor: filters.actor, kinds: filters.kinds }),
    queryFn: ({ pageParam, signal }) => getActivity(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });

/** The team activity feed, newest first, page by page. */
export function useActivity(filters: ActivityFilters) {
  return useInfiniteQuery(activityQueryOptions(filters));
}
