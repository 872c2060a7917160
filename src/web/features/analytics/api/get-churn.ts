import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Churn } from '../../../../shared/analytics.js';
import { apiRequest } from '../../../lib/api-client.js';
import { analyticsKeys, type ChurnParams } from './analytics-keys.js';

export function getChurn(params: ChurnParams, signal?: AbortSignal): Promise<Churn> {
  return apiRequest<Churn>('/crm/analytics/churn', { query: { ...params }, signal });
}

export const churnQueryOptions = (params: ChurnParams) =>
  queryOptions({
    queryKey: analyticsKeys.churn(params),
    queryFn: ({ signal }) => getChurn(params, signal),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });

/** Churn rate per month, revenue by cohort and the customers most valuable to win back. */
export function useChurn(params: ChurnParams) {
  return useQuery(churnQueryOptions(params));
}
