import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Task, TaskCreate } from '../../../../shared/tasks.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateTaskQueries } from './invalidate-tasks.js';

/** POST; a 400 ApiError names the bad fields (`remind_at` after `due_at`, an unknown customer). */
export function createTask(body: TaskCreate): Promise<Task> {
  return apiRequest<Task>('/crm/tasks', { method: 'POST', body });
}

export function useCreateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTask,
    onSuccess: (task) => invalidateTaskQueries(queryClient, [task.customer?.id]),
  });
}
