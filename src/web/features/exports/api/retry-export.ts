import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Export } from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { exportPath, invalidateExportQueries } from './invalidate-exports.js';

/** A failed export is queued again. */
export function retryExport(id: string): Promise<Export> {
  return apiRequest<Export>(exportPath(id, 'retry'), { method: 'POST' });
}

export function useRetryExport() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: retryExport, onSettled: () => invalidateExportQueries(queryClient) });
}
