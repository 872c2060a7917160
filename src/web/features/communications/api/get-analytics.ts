import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AnalyticsQuery, CommunicationAnalytics } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getAnalytics(params: AnalyticsQuery, signal?: AbortSignal): Promise<CommunicationAnalytics> {
  return apiRequest<CommunicationAnalytics>('/crm/communications/analytics', {
    query: { ...params },
    signal,
  });
}

/** Engagement totals, per period, per template (and version), per campaign and per segment. */
export const analyticsQueryOptions = (params: AnalyticsQuery) =>
  queryOptions({
    queryKey: queryKeys.communications.analytics({ ...params }),
    queryFn: ({ signal }) => getAnalytics(params, signal),
    staleTime: 30_000,
    // opens and clicks keep arriving: refresh while the page is open
    refetchInterval: 60_000,
  });

export function useAnalytics(params: AnalyticsQuery, enabled = true) {
  return useQuery({ ...analyticsQueryOptions(params), placeholderData: keepPreviousData, enabled });
}
