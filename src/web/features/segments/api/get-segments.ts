import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Segment, SegmentList } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getSegments(signal?: AbortSignal): Promise<SegmentList> {
  return apiRequest<SegmentList>('/crm/segments', { signal });
}

export const segmentsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.segments.list(),
    queryFn: ({ signal }) => getSegments(signal),
    select: (result): Segment[] => result.data,
    staleTime: 30_000,
  });

/** Every segment, by name, with its member count. */
export function useSegments() {
  return useQuery(segmentsQueryOptions());
}
