import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Tag } from '../../../../shared/tags.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** Deletes the tag; the reply's `customer_count` is how many customers lost it. */
export function deleteTag(id: string): Promise<Tag> {
  return apiRequest<Tag>(`/crm/tags/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTag,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tags.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
    },
  });
}
