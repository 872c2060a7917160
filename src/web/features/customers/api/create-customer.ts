import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Customer, CustomerCreate } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function createCustomer(body: CustomerCreate): Promise<Customer> {
  return apiRequest<Customer>('/crm/customers', { method: 'POST', body });
}

export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCustomer,
    onSuccess: (customer) => {
      queryClient.setQueryData(queryKeys.customers.detail(customer.id), customer);
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.lists() });
    },
  });
}
