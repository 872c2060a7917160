import { useMutation } from '@tanstack/react-query';
import type { PasswordChange } from '../../../../shared/auth.js';
import { apiRequest } from '../../../lib/api-client.js';

export function changePassword(body: PasswordChange): Promise<void> {
  return apiRequest<void>('/auth/password', { method: 'POST', body });
}

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}
