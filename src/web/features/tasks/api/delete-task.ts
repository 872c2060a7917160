import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Task } from '../../../../shared/tasks.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateTaskQueries } from './invalidate-tasks.js';

/** Deletes the task; the reply is the task as it was. */
export function deleteTask(id: string): Promise<Task> {
  return apiRequest<Task>(`/crm/tasks/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTask,
    onSuccess: (task) => invalidateTaskQueries(queryClient, [task.customer?.id]),
  });
}
