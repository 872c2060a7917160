import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, isApiError } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { getEmailTemplate } from './get-email-template.js';

/**
 * Deletes a template never used for sending; one that was used is archived (its statistics stay).
 * The server answers 204 either way, so a second look says which happened.
 */
export async function deleteEmailTemplate(id: string): Promise<{ archived: boolean }> {
  await apiRequest<void>(`/crm/email-templates/${encodeURIComponent(id)}`, { method: 'DELETE' });
  try {
    const after = await getEmailTemplate(id);
    return { archived: after.archived };
  } catch (error) {
    if (isApiError(error, 404)) return { archived: false };
    throw error;
  }
}

export function useDeleteEmailTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteEmailTemplate,
    onSuccess: (_reply, id) => {
      queryClient.removeQueries({ queryKey: queryKeys.communications.template(id), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.communications.templates });
    },
  });
}
