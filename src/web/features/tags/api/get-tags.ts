import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Tag, TagList } from '../../../../shared/tags.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getTags(signal?: AbortSignal): Promise<TagList> {
  return apiRequest<TagList>('/crm/tags', { signal });
}

export const tagsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.tags.all,
    queryFn: ({ signal }) => getTags(signal),
    select: (result): Tag[] => result.data,
    staleTime: 30_000,
  });

/** Every tag, by name, with its customer count. */
export function useTags(enabled = true) {
  return useQuery({ ...tagsQueryOptions(), enabled });
}
