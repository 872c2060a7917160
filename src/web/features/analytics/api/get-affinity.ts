import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Affinity } from '../../../../shared/analytics.js';
import { apiRequest } from '../../../lib/api-client.js';
import { type AffinityParams, analyticsKeys } from './analytics-keys.js';

export function getAffinity(params: AffinityParams, signal?: AbortSignal): Promise<Affinity> {
  return apiRequest<Affinity>('/crm/analytics/products/affinity', { query: { ...params }, signal });
}

export const affinityQueryOptions = (params: AffinityParams) =>
  queryOptions({
    queryKey: analyticsKeys.affinity(params),
    queryFn: ({ signal }) => getAffinity(params, signal),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });

/** "Bought A, also bought B" rules with support, confidence and lift, from the last recompute. */
export function useAffinity(params: AffinityParams) {
  return useQuery(affinityQueryOptions(params));
}
