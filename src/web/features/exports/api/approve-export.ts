import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Export } from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { exportPath, invalidateExportQueries } from './invalidate-exports.js';

/** A second admin lets another person's pending export run. */
export function approveExport(id: string): Promise<Export> {
  return apiRequest<Export>(exportPath(id, 'approve'), { method: 'POST' });
}

export function useApproveExport() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: approveExport, onSettled: () => invalidateExportQueries(queryClient) });
}
