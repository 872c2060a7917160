import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Customer, CustomerUpdate } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export interface UpdateCustomerInput {
  id: string;
  body: CustomerUpdate;
}

/** PUT with the version last read; a 409 ApiError carries the current customer in `current`. */
export function updateCustomer({ id, body }: UpdateCustomerInput): Promise<Customer> {
  return apiRequest<Customer>(`/crm/customers/${encodeURIComponent(id)}`, { method: 'PUT', body });
}

export function useUpdateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateCustomer,
    onSuccess: (customer) => {
      queryClient.setQueryData(queryKeys.customers.detail(customer.id), customer);
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.lists() });
      void queryClient.invalidateQueries({
        queryKey: [...queryKeys.customers.detail(customer.id), 'timeline'],
      });
    },
  });
}
