import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Segment } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getSegment(id: string, signal?: AbortSignal): Promise<Segment> {
  return apiRequest<Segment>(`/crm/segments/${encodeURIComponent(id)}`, { signal });
}

export const segmentQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.segments.detail(id),
    queryFn: ({ signal }) => getSegment(id, signal),
    // an automatic segment's count moves as customers change (the server re-evaluates them
    // within a second) and a large one is first built in the background: an open page follows
    refetchInterval: (query) =>
      query.state.data?.building ? 2_000 : query.state.data?.auto_update ? 5_000 : false,
  });

export function useSegment(id: string) {
  return useQuery(segmentQueryOptions(id));
}
