import { keepPreviousData, queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import type { RenderedEmail } from '../../../../shared/communications.js';
import { apiRequest, isApiError } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** Template content (saved or not) and, optionally, the customer whose data fills the variables. */
export interface TemplatePreviewRequest {
  subject: string;
  body_html: string;
  body_text: string;
  customer_id?: string;
}

/** Renders content with one customer's data (sample data without one); errors name the field. */
export function previewTemplate(body: TemplatePreviewRequest, signal?: AbortSignal): Promise<RenderedEmail> {
  return apiRequest<RenderedEmail>('/crm/email-templates/preview', { method: 'POST', body, signal });
}

export function usePreviewTemplate() {
  return useMutation({ mutationFn: (body: TemplatePreviewRequest) => previewTemplate(body) });
}

/**
 * The same render as a query, for views that follow content as it is typed (the template editor,
 * the campaign modal): a newer request replaces an older one, and the last good render stays on
 * screen while the next one loads.
 */
export const templatePreviewQueryOptions = (body: TemplatePreviewRequest) =>
  queryOptions({
    queryKey: queryKeys.communications.preview(body),
    queryFn: ({ signal }) => previewTemplate(body, signal),
    staleTime: 60_000,
    // a 400 (unknown variable, missing part) does not get better by asking again
    retry: (count, error) => !isApiError(error, 400) && !isApiError(error, 404) && count < 2,
  });

export function useTemplatePreview(body: TemplatePreviewRequest | null) {
  return useQuery({
    ...templatePreviewQueryOptions(body ?? { subject: '', body_html: '', body_text: '' }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
  });
}
