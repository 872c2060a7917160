import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MyWork } from '../../../../shared/work.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getMyWork(signal?: AbortSignal): Promise<MyWork> {
  return apiRequest<MyWork>('/crm/my-work', { signal });
}

export const myWorkQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.work.mine,
    queryFn: ({ signal }) => getMyWork(signal),
    staleTime: 15_000,
  });

/** My open tasks, tickets, unread mentions and owned customers: the first page of each. */
export function useMyWork() {
  return useQuery(myWorkQueryOptions());
}
