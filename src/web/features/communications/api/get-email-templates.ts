import { queryOptions, useQuery } from '@tanstack/react-query';
import type { EmailTemplate } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

interface EmailTemplateList {
  data: EmailTemplate[];
}

export function getEmailTemplates(
  includeArchived: boolean,
  signal?: AbortSignal,
): Promise<EmailTemplateList> {
  return apiRequest<EmailTemplateList>('/crm/email-templates', {
    query: includeArchived ? { include_archived: 'true' } : {},
    signal,
  });
}

/** Templates, current content; archived ones only when asked for (the templates tab's switch). */
export const emailTemplatesQueryOptions = (includeArchived = false) =>
  queryOptions({
    queryKey: includeArchived
      ? ([...queryKeys.communications.templates, 'with-archived'] as const)
      : queryKeys.communications.templates,
    queryFn: ({ signal }) => getEmailTemplates(includeArchived, signal),
    select: (result): EmailTemplate[] => result.data,
    staleTime: 30_000,
  });

export function useEmailTemplates(includeArchived = false) {
  return useQuery(emailTemplatesQueryOptions(includeArchived));
}
