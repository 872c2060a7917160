import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Segment, SegmentUpdate } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** The segment as the editor loads it (same cache entry as the segment page). */
export function getSegmentForEdit(id: string, signal?: AbortSignal): Promise<Segment> {
  return apiRequest<Segment>(`/crm/segments/${encodeURIComponent(id)}`, { signal });
}

export const segmentForEditQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.segments.detail(id),
    queryFn: ({ signal }) => getSegmentForEdit(id, signal),
  });

export function useSegmentForEdit(id: string | undefined) {
  return useQuery({ ...segmentForEditQueryOptions(id ?? ''), enabled: !!id });
}

export interface UpdateSegmentInput {
  id: string;
  body: SegmentUpdate;
}

/**
 * PUT with the version last read. A 409 ApiError with code `version_conflict` carries the current
 * segment in `current`; code `duplicate` means the name is taken.
 */
export function updateSegment({ id, body }: UpdateSegmentInput): Promise<Segment> {
  return apiRequest<Segment>(`/crm/segments/${encodeURIComponent(id)}`, { method: 'PUT', body });
}

export function useUpdateSegment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSegment,
    onSuccess: (segment) => {
      queryClient.setQueryData(queryKeys.segments.detail(segment.id), segment);
      // report, members and list change with the definition
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.detail(segment.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.list() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.criteria.fields });
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
    },
  });
}
