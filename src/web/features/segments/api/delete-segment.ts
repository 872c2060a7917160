import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Segment } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** Deletes the segment; its members leave it. The reply is the segment as it was. */
export function deleteSegment(id: string): Promise<Segment> {
  return apiRequest<Segment>(`/crm/segments/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteSegment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteSegment,
    onSuccess: (_deleted, id) => {
      // Drop it from the cached list at once; the list refetches when next shown.
      queryClient.setQueryData<{ data: Segment[] }>(queryKeys.segments.list(), (list) =>
        list ? { data: list.data.filter((s) => s.id !== id) } : list,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.list() });
      // profiles list the segments a customer is in
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
    },
  });
}
