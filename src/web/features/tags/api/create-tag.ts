import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Tag, TagCreate } from '../../../../shared/tags.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** A 409 ApiError means the name is taken (case-insensitively). */
export function createTag(body: TagCreate): Promise<Tag> {
  return apiRequest<Tag>('/crm/tags', { method: 'POST', body });
}

export function useCreateTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTag,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.tags.all }),
  });
}
