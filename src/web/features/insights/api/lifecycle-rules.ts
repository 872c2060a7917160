import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { LifecycleRules, lifecycleRulesResponseSchema } from '../../../../shared/lifecycle.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { invalidateLifecycle } from './evaluate-lifecycle.js';

export type LifecycleRulesResponse = z.infer<typeof lifecycleRulesResponseSchema>;

export function getLifecycleRules(signal?: AbortSignal): Promise<LifecycleRulesResponse> {
  return apiRequest<LifecycleRulesResponse>('/crm/lifecycle/rules', { signal });
}

export const lifecycleRulesQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.insights.lifecycleRules,
    queryFn: ({ signal }) => getLifecycleRules(signal),
    staleTime: 60_000,
  });

export function useLifecycleRules(enabled = true) {
  return useQuery({ ...lifecycleRulesQueryOptions(), enabled });
}

/** Saves the rules; the server re-evaluates every customer at once and says how many moved. */
export function updateLifecycleRules(
  body: LifecycleRules,
): Promise<{ rules: LifecycleRulesResponse; changed: number }> {
  return apiRequest('/crm/lifecycle/rules', { method: 'PUT', body });
}

export function useUpdateLifecycleRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateLifecycleRules,
    onSuccess: (result) => {
      queryClient.setQueryData(queryKeys.insights.lifecycleRules, result.rules);
      invalidateLifecycle(queryClient);
    },
  });
}
