import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Segment, SegmentCreate } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** A 409 ApiError with code `duplicate` means the name is taken (case-insensitively). */
export function createSegment(body: SegmentCreate): Promise<Segment> {
  return apiRequest<Segment>('/crm/segments', { method: 'POST', body });
}

export function useCreateSegment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createSegment,
    onSuccess: (segment) => {
      queryClient.setQueryData(queryKeys.segments.detail(segment.id), segment);
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.list() });
      // the builder offers segments as values
      void queryClient.invalidateQueries({ queryKey: queryKeys.criteria.fields });
    },
  });
}
