import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Recommendations } from '../../../../shared/analytics.js';
import { apiRequest } from '../../../lib/api-client.js';
import { analyticsKeys } from './analytics-keys.js';

export function getCustomerRecommendations(
  customerId: string,
  signal?: AbortSignal,
): Promise<Recommendations> {
  return apiRequest<Recommendations>(`/crm/customers/${encodeURIComponent(customerId)}/recommendations`, {
    signal,
  });
}

export const customerRecommendationsQueryOptions = (customerId: string) =>
  queryOptions({
    queryKey: analyticsKeys.recommendations(customerId),
    queryFn: ({ signal }) => getCustomerRecommendations(customerId, signal),
    staleTime: 60_000,
  });

/** Products this customer has not bought yet, each with why (bought together, upsell, popular). */
export function useCustomerRecommendations(customerId: string) {
  return useQuery(customerRecommendationsQueryOptions(customerId));
}
