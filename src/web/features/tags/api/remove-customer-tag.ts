import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CustomerTags } from '../../../../shared/tags.js';
import { apiRequest } from '../../../lib/api-client.js';
import { applyCustomerTags } from './add-customer-tags.js';

export interface RemoveCustomerTagInput {
  customerId: string;
  tagId: string;
}

export function removeCustomerTag({ customerId, tagId }: RemoveCustomerTagInput): Promise<CustomerTags> {
  return apiRequest<CustomerTags>(
    `/crm/customers/${encodeURIComponent(customerId)}/tags/${encodeURIComponent(tagId)}`,
    { method: 'DELETE' },
  );
}

export function useRemoveCustomerTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeCustomerTag,
    onSuccess: (result, { customerId }) => applyCustomerTags(queryClient, customerId, result),
  });
}
