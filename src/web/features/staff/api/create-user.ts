import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { StaffUser, StaffUserCreate } from '../../../../shared/auth.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function createUser(body: StaffUserCreate): Promise<StaffUser> {
  return apiRequest<StaffUser>('/users', { method: 'POST', body });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users.all }),
  });
}
