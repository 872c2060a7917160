import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Segment, SegmentUpdate } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

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
