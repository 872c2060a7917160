import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { Export, ExportList, ExportState } from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export const exportPageSize = 25;
export const exportPollInterval = 1_000;

export interface ExportListParams {
  mine?: boolean;
  state?: ExportState;
}

export function getExports(params: ExportListParams, cursor: string | undefined, signal?: AbortSignal) {
  return apiRequest<ExportList>('/crm/exports', {
    query: {
      mine: params.mine === undefined ? undefined : String(params.mine),
      state: params.state,
      limit: exportPageSize,
      cursor,
    },
    signal,
  });
}

/** Still moving on the server: worth polling. */
export function isExportActive(exp: Pick<Export, 'state'>): boolean {
  return exp.state === 'queued' || exp.state === 'running';
}

/** Newest first; polled every second while any loaded export is queued or running. */
export const exportsInfiniteQueryOptions = (params: ExportListParams) =>
  infiniteQueryOptions({
    queryKey: queryKeys.exports.list({ ...params }),
    queryFn: ({ pageParam, signal }) => getExports(params, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.data.some(isExportActive)) ? exportPollInterval : false,
    staleTime: 5_000,
  });

export function useExports(params: ExportListParams) {
  return useInfiniteQuery(exportsInfiniteQueryOptions(params));
}
