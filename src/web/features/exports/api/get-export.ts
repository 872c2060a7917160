import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Export } from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { exportPollInterval, isExportActive } from './get-exports.js';

export function getExport(id: string, signal?: AbortSignal): Promise<Export> {
  return apiRequest<Export>(`/crm/export/status/${encodeURIComponent(id)}`, { signal });
}

/** One export's status, polled while it is queued or running. */
export const exportQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.exports.detail(id),
    queryFn: ({ signal }) => getExport(id, signal),
    refetchInterval: (query) =>
      query.state.data && isExportActive(query.state.data) ? exportPollInterval : false,
  });

export function useExport(id: string | undefined) {
  return useQuery({ ...exportQueryOptions(id ?? ''), enabled: !!id });
}
