import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Overview } from '../../../../shared/analytics.js';
import { apiRequest } from '../../../lib/api-client.js';
import { analyticsKeys, type OverviewParams } from './analytics-keys.js';

export function getOverview(params: OverviewParams, signal?: AbortSignal): Promise<Overview> {
  return apiRequest<Overview>('/crm/analytics/overview', { query: { ...params }, signal });
}

export const overviewQueryOptions = (params: OverviewParams) =>
  queryOptions({
    queryKey: analyticsKeys.overview(params),
    queryFn: ({ signal }) => getOverview(params, signal),
    staleTime: 60_000,
    // another period keeps the figures on screen (dimmed) while its own load
    placeholderData: keepPreviousData,
  });

/** KPIs of a period against the one before, revenue per day and the value distribution. */
export function useOverview(params: OverviewParams) {
  return useQuery(overviewQueryOptions(params));
}
