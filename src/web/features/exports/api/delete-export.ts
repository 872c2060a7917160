import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.js';
import { exportPath, invalidateExportQueries } from './invalidate-exports.js';

/** Cancels a pending or queued export, or deletes a finished one (its file goes with it). */
export function deleteExport(id: string): Promise<unknown> {
  return apiRequest<unknown>(exportPath(id), { method: 'DELETE' });
}

export function useDeleteExport() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteExport, onSettled: () => invalidateExportQueries(queryClient) });
}
