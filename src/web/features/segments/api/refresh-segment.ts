import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SegmentMembershipChange } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** Re-evaluates an automatic segment's criteria now (a manual one answers 409). */
export function refreshSegment(id: string): Promise<SegmentMembershipChange> {
  return apiRequest<SegmentMembershipChange>(`/crm/segments/${encodeURIComponent(id)}/refresh`, {
    method: 'POST',
  });
}

export function useRefreshSegment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: refreshSegment,
    onSuccess: (_change, id) => {
      // the segment, its report and its member pages all live under its detail key
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.detail(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.list() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
    },
  });
}
