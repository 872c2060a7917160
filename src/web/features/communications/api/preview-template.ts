import { useMutation } from '@tanstack/react-query';
import type { RenderedEmail } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';

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
