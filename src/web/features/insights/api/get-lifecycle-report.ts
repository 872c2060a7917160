import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { LifecycleReport } from '../../../../shared/lifecycle.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getLifecycleReport(days: number, signal?: AbortSignal): Promise<LifecycleReport> {
  return apiRequest<LifecycleReport>('/crm/lifecycle/report', { query: { days }, signal });
}

export const lifecycleReportQueryOptions = (days: number) =>
  queryOptions({
    queryKey: queryKeys.insights.lifecycle(days),
    queryFn: ({ signal }) => getLifecycleReport(days, signal),
    staleTime: 60_000,
    // switching the period keeps the stage counts on screen while the movements load
    placeholderData: keepPreviousData,
  });

/** Customers per stage now and their movements between stages over the last `days`. */
export function useLifecycleReport(days: number) {
  return useQuery(lifecycleReportQueryOptions(days));
}
