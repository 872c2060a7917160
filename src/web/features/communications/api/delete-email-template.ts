import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** Deletes a template never used for sending; one that was used is archived (its statistics stay). */
export function deleteEmailTemplate(id: string): Promise<unknown> {
  return apiRequest<unknown>(`/crm/email-templates/${encodeURIComponent(id)}`, { method: 'DELETE' });
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
