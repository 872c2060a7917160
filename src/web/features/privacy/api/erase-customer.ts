import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EraseRequest, EraseResult } from '../../../../shared/privacy.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function eraseCustomer({
  customerId,
  body,
}: {
  customerId: string;
  body: EraseRequest;
}): Promise<EraseResult> {
  return apiRequest<EraseResult>(`/crm/customers/${encodeURIComponent(customerId)}/erase`, {
    method: 'POST',
    body,
  });
}

/** Anonymises the customer for good; every view of them (profile, lists, email, notes) is refetched. */
export function useEraseCustomer(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EraseRequest) => eraseCustomer({ customerId, body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.communications.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.notes.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.interactions.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tickets.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.audit.all });
    },
  });
}
