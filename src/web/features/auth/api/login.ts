import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginBody, Me } from '../../../../shared/auth.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function login(body: LoginBody): Promise<Me> {
  return apiRequest<Me>('/auth/login', { method: 'POST', body });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (me) => {
      // Another user may have been signed in before: start from a clean cache.
      queryClient.clear();
      queryClient.setQueryData(queryKeys.me, me);
    },
  });
}
