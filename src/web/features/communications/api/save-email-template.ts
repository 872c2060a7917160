import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  EmailTemplate,
  EmailTemplateCreate,
  EmailTemplateUpdate,
} from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function createEmailTemplate(body: EmailTemplateCreate): Promise<EmailTemplate> {
  return apiRequest<EmailTemplate>('/crm/email-templates', { method: 'POST', body });
}

/**
 * `body.version` is the version the edit started from: a stale one is a 409 ApiError whose
 * `current` is the template as stored. A changed subject or body makes a new version.
 */
export function updateEmailTemplate({
  id,
  body,
}: {
  id: string;
  body: EmailTemplateUpdate;
}): Promise<EmailTemplate> {
  return apiRequest<EmailTemplate>(`/crm/email-templates/${encodeURIComponent(id)}`, {
    method: 'PUT',
    body,
  });
}

/** The saved template in the cache; the lists (and the versions under it) reload. */
export function storeEmailTemplate(queryClient: QueryClient, template: EmailTemplate) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.communications.templates });
  queryClient.setQueryData(queryKeys.communications.template(template.id), template);
}

export function useCreateEmailTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createEmailTemplate,
    onSuccess: (template) => storeEmailTemplate(queryClient, template),
  });
}

export function useUpdateEmailTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateEmailTemplate,
    onSuccess: (template) => storeEmailTemplate(queryClient, template),
  });
}
