import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { AuditList } from '../../../../shared/audit.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';
import type { AuditFilters } from '../audit-params.js';

export const auditPageSize = 50;

export function getAudit(filters: AuditFilters, cursor: string | undefined, signal?: AbortSignal) {
  return apiRequest<AuditList>('/crm/audit', {
    query: { ...filters, limit: auditPageSize, cursor },
    signal,
  });
}

/** Newest first; `next_cursor` loads older entries. */
export const auditInfiniteQueryOptions = (filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.audit.list({ ...filters }),
    queryFn: ({ pageParam, signal }) => getAudit(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    staleTime: 10_000,
  });

export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery(auditInfiniteQueryOptions(filters));
}
