import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Task, TaskUpdate } from '../../../../shared/tasks.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateTaskQueries } from './invalidate-tasks.js';

export interface UpdateTaskInput {
  id: string;
  body: TaskUpdate;
  /** The customer the task was about before this change (its timeline changes too). */
  previousCustomerId?: string | null;
}

/** PUT with the version last read; a 409 ApiError carries the current task in `current`. */
export function updateTask({ id, body }: UpdateTaskInput): Promise<Task> {
  return apiRequest<Task>(`/crm/tasks/${encodeURIComponent(id)}`, { method: 'PUT', body });
}

export function useUpdateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTask,
    onSuccess: (task, { previousCustomerId }) =>
      invalidateTaskQueries(queryClient, [task.customer?.id, previousCustomerId]),
  });
}
