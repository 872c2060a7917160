import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RfmOverview } from '../../../../shared/rfm.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getRfmOverview(signal?: AbortSignal): Promise<RfmOverview> {
  return apiRequest<RfmOverview>('/crm/analytics/rfm', { signal });
}

export const rfmOverviewQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.insights.rfm,
    queryFn: ({ signal }) => getRfmOverview(signal),
    staleTime: 60_000,
  });

/** RFM groups, the recency × frequency grid and the last scoring run. */
export function useRfmOverview() {
  return useQuery(rfmOverviewQueryOptions());
}
