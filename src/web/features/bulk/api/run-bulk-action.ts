import { type QueryClient, useMutation } from '@tanstack/react-query';
import type { BulkReply, BulkRequest } from '../../../../shared/bulk.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** 200 with the result for small selections; 202 with a job to follow for large ones. */
export function runBulkAction(body: BulkRequest): Promise<BulkReply> {
  return apiRequest<BulkReply>('/crm/customers/bulk', { method: 'POST', body });
}

export function useRunBulkAction() {
  return useMutation({ mutationFn: runBulkAction });
}

/** After a bulk action finished: lists, profiles, tag counts and segment sizes may all have moved. */
export function invalidateAfterBulk(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
  void queryClient.invalidateQueries({ queryKey: queryKeys.tags.all });
  void queryClient.invalidateQueries({ queryKey: queryKeys.segments.all });
}
