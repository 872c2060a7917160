import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Interaction, InteractionUpdate } from '../../../../shared/interactions.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateInteractionQueries } from './invalidate-interactions.js';

export interface UpdateInteractionInput {
  id: string;
  body: InteractionUpdate;
}

/**
 * PUT with the version last read. A 409 ApiError with code `version_conflict` carries the current
 * interaction in `current`. Setting a follow-up date where there was none creates a task.
 */
export function updateInteraction({ id, body }: UpdateInteractionInput): Promise<Interaction> {
  return apiRequest<Interaction>(`/crm/interactions/${encodeURIComponent(id)}`, { method: 'PUT', body });
}

export function useUpdateInteraction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateInteraction,
    // a follow-up date sent may create a task
    onSuccess: (saved, input) =>
      invalidateInteractionQueries(queryClient, saved, input.body.follow_up_date !== undefined),
  });
}
