import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Campaign } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getCampaigns(signal?: AbortSignal): Promise<{ data: Campaign[] }> {
  return apiRequest<{ data: Campaign[] }>('/crm/communications/campaigns', { signal });
}

const isRunning = (campaigns: Campaign[] | undefined) =>
  !!campaigns?.some((c) => c.status === 'queued' || c.status === 'sending');

/** Campaigns, newest first; polled while one is still sending so its counts move. */
export const campaignsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.communications.campaigns,
    queryFn: ({ signal }) => getCampaigns(signal),
    select: (result): Campaign[] => result.data,
    refetchInterval: (query) => (isRunning(query.state.data?.data) ? 2_000 : false),
  });

export function useCampaigns() {
  return useQuery(campaignsQueryOptions());
}
