import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Export, ExportRequest } from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateExportQueries } from './invalidate-exports.js';

/** 202 with the export: `queued`, or `pending_approval` when a second admin must approve it. */
export function startExport(body: ExportRequest): Promise<Export> {
  return apiRequest<Export>('/crm/export/customers', { method: 'POST', body });
}

export function useStartExport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startExport,
    onSuccess: () => invalidateExportQueries(queryClient),
  });
}
