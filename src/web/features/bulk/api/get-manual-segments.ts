import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Segment } from '../../../../shared/segments.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { getSegments } from '../../segments/api/get-segments.js';

/**
 * Segments whose members are picked by hand: the only ones a bulk action can add to or remove
 * from. Shares the segment list's cache entry.
 */
export const manualSegmentsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.segments.list(),
    queryFn: ({ signal }) => getSegments(signal),
    select: (result): Segment[] => result.data.filter((s) => !s.auto_update),
    staleTime: 30_000,
  });

export function useManualSegments(enabled = true) {
  return useQuery({ ...manualSegmentsQueryOptions(), enabled });
}
