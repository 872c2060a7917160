import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RfmRun } from '../../../../shared/rfm.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** Scores every customer now; answers with the run (how many scored, how many changed). */
export function rescoreRfm(): Promise<RfmRun> {
  return apiRequest<RfmRun>('/crm/analytics/rfm/rescore', { method: 'POST' });
}

export function useRescoreRfm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rescoreRfm,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.insights.rfm });
      // list rows and profiles may filter or show by RFM group
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.all });
    },
  });
}
