import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CustomerInsights } from '../../../../shared/analytics.js';
import { apiRequest } from '../../../lib/api-client.js';
import { analyticsKeys } from './analytics-keys.js';

export function getCustomerInsights(customerId: string, signal?: AbortSignal): Promise<CustomerInsights> {
  return apiRequest<CustomerInsights>(`/crm/customers/${encodeURIComponent(customerId)}/insights`, {
    signal,
  });
}

export const customerInsightsQueryOptions = (customerId: string) =>
  queryOptions({
    queryKey: analyticsKeys.insights(customerId),
    queryFn: ({ signal }) => getCustomerInsights(customerId, signal),
    staleTime: 60_000,
  });

/** One customer's order patterns and prediction (value, churn risk and why). */
export function useCustomerInsights(customerId: string) {
  return useQuery(customerInsightsQueryOptions(customerId));
}
