import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Customer } from '../../../../shared/customers.js';
import type { CustomerTags, CustomerTagsBody } from '../../../../shared/tags.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export interface AddCustomerTagsInput {
  customerId: string;
  body: CustomerTagsBody;
}

export function addCustomerTags({ customerId, body }: AddCustomerTagsInput): Promise<CustomerTags> {
  return apiRequest<CustomerTags>(`/crm/customers/${encodeURIComponent(customerId)}/tags`, {
    method: 'POST',
    body,
  });
}

/** Puts the customer's new tags into the cached profile and refreshes its timeline and tag counts. */
export function applyCustomerTags(queryClient: QueryClient, customerId: string, result: CustomerTags) {
  queryClient.setQueryData<Customer>(queryKeys.customers.detail(customerId), (customer) =>
    customer ? { ...customer, tags: result.data } : customer,
  );
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.customers.detail(customerId), 'timeline'] });
  void queryClient.invalidateQueries({ queryKey: queryKeys.tags.all });
}

export function useAddCustomerTags() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addCustomerTags,
    onSuccess: (result, { customerId }) => applyCustomerTags(queryClient, customerId, result),
  });
}
