import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.js';
import { refreshSchedules, schedulePath } from './save-export-schedule.js';

/** The schedule stops; exports it already made stay on the exports page until they expire. */
export function deleteExportSchedule(id: string): Promise<unknown> {
  return apiRequest<unknown>(schedulePath(id), { method: 'DELETE' });
}

export function useDeleteExportSchedule() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteExportSchedule, onSettled: () => refreshSchedules(queryClient) });
}
