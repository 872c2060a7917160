import { queryOptions, useQuery } from '@tanstack/react-query';
import type { EmailTemplate } from '../../../../shared/communications.js';
import { apiRequest, isApiError } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getEmailTemplate(id: string, signal?: AbortSignal): Promise<EmailTemplate> {
  return apiRequest<EmailTemplate>(`/crm/email-templates/${encodeURIComponent(id)}`, { signal });
}

export const emailTemplateQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.communications.template(id),
    queryFn: ({ signal }) => getEmailTemplate(id, signal),
    // a missing template (or a malformed id) stays missing: no retries
    retry: (count, error) => !isApiError(error, 404) && !isApiError(error, 400) && count < 2,
  });

/** One template with its current content and version. */
export function useEmailTemplate(id: string | undefined) {
  return useQuery({ ...emailTemplateQueryOptions(id ?? ''), enabled: !!id });
}
