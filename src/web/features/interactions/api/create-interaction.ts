import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Interaction, InteractionCreate } from '../../../../shared/interactions.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateInteractionQueries } from './invalidate-interactions.js';

export interface CreateInteractionInput {
  customerId: string;
  body: InteractionCreate;
}

/** Logs an interaction; a follow-up date creates a task for the signed-in user. */
export function createInteraction({ customerId, body }: CreateInteractionInput): Promise<Interaction> {
  return apiRequest<Interaction>(`/crm/customers/${encodeURIComponent(customerId)}/interactions`, {
    method: 'POST',
    body,
  });
}

export function useCreateInteraction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createInteraction,
    onSuccess: (saved) => invalidateInteractionQueries(queryClient, saved),
  });
}
