import { type InfiniteData, type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Task, TaskList } from '../../../../shared/tasks.js';
import type { MyWork } from '../../../../shared/work.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { invalidateTaskQueries } from './invalidate-tasks.js';
import { updateTask } from './update-task.js';

export interface ToggleTaskDoneInput {
  task: Task;
  done: boolean;
}

const patchList = (list: TaskList, id: string, done: boolean): TaskList => ({
  ...list,
  data: list.data.map((t) => (t.id === id ? { ...t, done, overdue: done ? false : t.overdue } : t)),
});

type Snapshot = [readonly unknown[], unknown][];

/** Ticks the box in every cached list at once; the lists are refetched (and reordered) afterwards. */
async function applyOptimistic(queryClient: QueryClient, { task, done }: ToggleTaskDoneInput) {
  await queryClient.cancelQueries({ queryKey: queryKeys.tasks.all });
  await queryClient.cancelQueries({ queryKey: queryKeys.work.mine });
  const snapshot: Snapshot = [
    ...queryClient.getQueriesData({ queryKey: queryKeys.tasks.all }),
    ...queryClient.getQueriesData({ queryKey: queryKeys.work.mine }),
  ];
  queryClient.setQueriesData<InfiniteData<TaskList>>({ queryKey: queryKeys.tasks.all }, (data) =>
    data?.pages ? { ...data, pages: data.pages.map((p) => patchList(p, task.id, done)) } : data,
  );
  queryClient.setQueryData<MyWork>(queryKeys.work.mine, (data) =>
    data ? { ...data, tasks: patchList(data.tasks, task.id, done) } : data,
  );
  return snapshot;
}

/**
 * Marks a task done or open again with the version it was read at. Only `done` is sent, so no
 * other field is overwritten; on any error (a 409 included) the boxes go back as they were.
 */
export function useToggleTaskDone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ task, done }: ToggleTaskDoneInput) =>
      updateTask({ id: task.id, body: { done, version: task.version } }),
    onMutate: (input) => applyOptimistic(queryClient, input),
    onError: (_error, _input, snapshot) => {
      for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
    },
    onSettled: (_data, _error, { task }) => invalidateTaskQueries(queryClient, [task.customer?.id]),
  });
}
