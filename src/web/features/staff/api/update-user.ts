import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { StaffUser, StaffUserPatch } from '../../../../shared/auth.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export interface UpdateUserInput {
  id: string;
  patch: StaffUserPatch;
}

export function updateUser({ id, patch }: UpdateUserInput): Promise<StaffUser> {
  return apiRequest<StaffUser>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users.all }),
  });
}
