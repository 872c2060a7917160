import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Interaction } from '../../../../shared/interactions.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateInteractionQueries } from './invalidate-interactions.js';

/** Deletes an interaction (its author or an administrator); answers with what was deleted. */
export function deleteInteraction(id: string): Promise<Interaction> {
  return apiRequest<Interaction>(`/crm/interactions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteInteraction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteInteraction,
    onSuccess: (deleted) => invalidateInteractionQueries(queryClient, deleted),
  });
}
