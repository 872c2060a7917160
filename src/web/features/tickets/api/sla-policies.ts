import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SlaPolicy, SlaPolicyList, SlaPolicyUpdate } from '../../../../shared/tickets.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getSlaPolicies(signal?: AbortSignal): Promise<SlaPolicyList> {
  return apiRequest<SlaPolicyList>('/crm/tickets/sla-policies', { signal });
}

export const slaPoliciesQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.tickets.slaPolicies,
    queryFn: ({ signal }) => getSlaPolicies(signal),
    select: (result): SlaPolicy[] => result.data,
  });

export function useSlaPolicies(enabled = true) {
  return useQuery({ ...slaPoliciesQueryOptions(), enabled });
}

/** Needs `settings:manage`; new and re-prioritised tickets use the new times. */
export function updateSlaPolicies(body: SlaPolicyUpdate): Promise<SlaPolicyList> {
  return apiRequest<SlaPolicyList>('/crm/tickets/sla-policies', { method: 'PUT', body });
}

export function useUpdateSlaPolicies() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSlaPolicies,
    onSuccess: (list) => {
      queryClient.setQueryData(queryKeys.tickets.slaPolicies, list);
    },
  });
}
