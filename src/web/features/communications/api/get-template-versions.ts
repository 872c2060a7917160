import { queryOptions, useQuery } from '@tanstack/react-query';
import type { EmailTemplateVersion } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getTemplateVersions(
  id: string,
  signal?: AbortSignal,
): Promise<{ data: EmailTemplateVersion[] }> {
  return apiRequest<{ data: EmailTemplateVersion[] }>(
    `/crm/email-templates/${encodeURIComponent(id)}/versions`,
    { signal },
  );
}

/** Every version of a template's content, each as it was sent. */
export const templateVersionsQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.communications.templateVersions(id),
    queryFn: ({ signal }) => getTemplateVersions(id, signal),
    // newest first, whatever order the server keeps
    select: (result): EmailTemplateVersion[] => [...result.data].sort((a, b) => b.version - a.version),
  });

export function useTemplateVersions(id: string | undefined) {
  return useQuery({ ...templateVersionsQueryOptions(id ?? ''), enabled: !!id });
}
