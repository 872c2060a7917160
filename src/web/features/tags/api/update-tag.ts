import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Tag, TagUpdate } from '../../../../shared/tags.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export interface UpdateTagInput {
  id: string;
  body: TagUpdate;
}

export function updateTag({ id, body }: UpdateTagInput): Promise<Tag> {
  return apiRequest<Tag>(`/crm/tags/${encodeURIComponent(id)}`, { method: 'PUT', body });
}

export function useUpdateTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTag,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tags.all });
      // profiles show the tag's name and colour
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
    },
  });
}
