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
  });

export function useSegment(id: string) {
  return useQuery(segmentQueryOptions(id));
}
