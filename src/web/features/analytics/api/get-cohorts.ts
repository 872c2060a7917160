import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Cohorts } from '../../../../shared/analytics.js';
import { apiRequest } from '../../../lib/api-client.js';
import { analyticsKeys, type CohortsParams } from './analytics-keys.js';

export function getCohorts(params: CohortsParams, signal?: AbortSignal): Promise<Cohorts> {
  return apiRequest<Cohorts>('/crm/analytics/cohorts', { query: { ...params }, signal });
}

export const cohortsQueryOptions = (params: CohortsParams) =>
  queryOptions({
    queryKey: analyticsKeys.cohorts(params),
    queryFn: ({ signal }) => getCohorts(params, signal),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });

/** Monthly acquisition cohorts with the share ordering again in each later month. */
export function useCohorts(params: CohortsParams) {
  return useQuery(cohortsQueryOptions(params));
}
