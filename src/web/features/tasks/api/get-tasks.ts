import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { TaskList, TaskListQuery } from '../../../../shared/tasks.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export const taskPageSize = 50;

export function getTasks(query: TaskListQuery, cursor: string | undefined, signal?: AbortSignal) {
  return apiRequest<TaskList>('/crm/tasks', {
    query: { ...query, limit: taskPageSize, cursor },
    signal,
  });
}

/** Pages in the server's order (open first, overdue first, then by due time); next_cursor loads more. */
export const tasksInfiniteQueryOptions = (query: TaskListQuery) =>
  infiniteQueryOptions({
    queryKey: queryKeys.tasks.list({ ...query }),
    queryFn: ({ pageParam, signal }) => getTasks(query, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    staleTime: 15_000,
  });

export function useTasks(query: TaskListQuery) {
  return useInfiniteQuery(tasksInfiniteQueryOptions(query));
}
