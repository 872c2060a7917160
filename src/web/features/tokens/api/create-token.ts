import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { apiTokenCreatedSchema, apiTokenCreateSchema } from '../../../../shared/auth.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export type ApiTokenCreate = z.input<typeof apiTokenCreateSchema>;
export type ApiTokenCreated = z.infer<typeof apiTokenCreatedSchema>;

export function createToken(body: ApiTokenCreate): Promise<ApiTokenCreated> {
  return apiRequest<ApiTokenCreated>('/auth/tokens', { method: 'POST', body });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all }),
  });
}
