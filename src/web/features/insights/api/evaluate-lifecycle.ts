import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** Re-evaluates every customer's stage by the rules now; `changed` is how many moved. */
export function evaluateLifecycle(): Promise<{ changed: number }> {
  return apiRequest<{ changed: number }>('/crm/lifecycle/evaluate', { method: 'POST' });
}

export function invalidateLifecycle(queryClient: ReturnType<typeof useQueryClient>) {
  void queryClient.invalidateQueries({ queryKey: ['insights', 'lifecycle'] });
  void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
}

export function useEvaluateLifecycle() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: evaluateLifecycle, onSuccess: () => invalidateLifecycle(queryClient) });
}
