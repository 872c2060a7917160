import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ClvFitReply, ClvFitRequest } from '../../../../shared/analytics.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { analyticsKeys } from './analytics-keys.js';

/** Refits the model: the model at once when the shop is small, else a job to follow. */
export function fitClvModel(body: ClvFitRequest = {}): Promise<ClvFitReply> {
  return apiRequest<ClvFitReply>('/crm/analytics/clv/fit', { method: 'POST', body });
}

/** A new model rescores every customer: the analytics and every customer's numbers change. */
export function invalidateAfterFit(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: analyticsKeys.all });
  void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
}

export function useFitClvModel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fitClvModel,
    onSuccess: (reply) => {
      if (reply.status === 'fitted') {
        queryClient.setQueryData(analyticsKeys.clvModel(), reply.model);
        invalidateAfterFit(queryClient);
      }
    },
  });
}
