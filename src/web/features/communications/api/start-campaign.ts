import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Campaign } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export interface StartCampaign {
  segment_id: string;
  template_id: string;
  campaign_name?: string;
}

/** The 202 reply: the campaign as queued and the job that sends it. */
export interface CampaignAccepted {
  campaign: Campaign;
  job_id: string;
  status_url: string;
  outbox: boolean;
}

/** Sends a template to every member of a segment, in the background (preferences respected). */
export function startCampaign(body: StartCampaign): Promise<CampaignAccepted> {
  return apiRequest<CampaignAccepted>('/crm/communications/send', { method: 'POST', body });
}

export function useStartCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startCampaign,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.communications.campaigns });
    },
  });
}
