import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Export } from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { exportPath, invalidateExportQueries } from './invalidate-exports.js';

/** Refuses another person's pending export; the reason is shown to them and kept in the audit log. */
export function rejectExport({ id, reason }: { id: string; reason: string }): Promise<Export> {
  return apiRequest<Export>(exportPath(id, 'reject'), { method: 'POST', body: { reason } });
}

export function useRejectExport() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: rejectExport, onSettled: () => invalidateExportQueries(queryClient) });
}
