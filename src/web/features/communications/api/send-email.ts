import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import type { SendEmail, SendResult } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** One email to one customer: 201 with the email, or `email: null` and why it was skipped. */
export function sendEmail(body: SendEmail): Promise<SendResult> {
  return apiRequest<SendResult>('/crm/communications/send', { method: 'POST', body });
}

/** A sent email shows in the customer's threads and on their timeline. */
export function invalidateCustomerEmail(queryClient: QueryClient, customerId: string) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.communications.threads(customerId) });
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.customers.detail(customerId), 'timeline'] });
}

export function useSendEmail(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: sendEmail,
    onSuccess: () => invalidateCustomerEmail(queryClient, customerId),
  });
}
