import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ExportPreview, ExportPreviewRequest } from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function previewExport(body: ExportPreviewRequest, signal?: AbortSignal): Promise<ExportPreview> {
  return apiRequest<ExportPreview>('/crm/export/preview', { method: 'POST', body, signal });
}

/** Row count, masked fields, approval and refusal for a request; the last answer stays while the next loads. */
export const exportPreviewQueryOptions = (body: ExportPreviewRequest) =>
  queryOptions({
    queryKey: queryKeys.exports.preview(body),
    queryFn: ({ signal }) => previewExport(body, signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

/** `body` null: nothing to preview yet (no field chosen, say). */
export function useExportPreview(body: ExportPreviewRequest | null) {
  return useQuery({
    ...exportPreviewQueryOptions(body ?? { selection: { all: true } }),
    enabled: body !== null,
  });
}
