import {
  type EmailCategory,
  type EmailTemplate,
  type EmailTemplateCreate,
  type EmailTemplateUpdate,
  emailTemplateCreateSchema,
} from '../../../../shared/communications.js';
import { emptyToNull, zodErrors } from '../../../lib/zod-form.js';

/** The template editor's fields, as typed. */
export interface TemplateFormValues {
  name: string;
  category: EmailCategory;
  description: string;
  subject: string;
  body_html: string;
  body_text: string;
}

/** The parts of a template that make a new version when they change. */
export const contentFields = ['subject', 'body_html', 'body_text'] as const;
export type ContentField = (typeof contentFields)[number];

export const contentFieldLabels: Record<ContentField, string> = {
  subject: 'Subject',
  body_html: 'HTML body',
  body_text: 'Text body',
};

const starterHtml = `<p>Hello {{first_name}},</p>

<p></p>

<p>Best regards,<br>{{sender_name}}</p>
<p style="font-size:12px;color:#666"><a href="{{unsubscribe_url}}">Unsubscribe</a></p>`;

const starterText = `Hello {{first_name}},



Best regards,
{{sender_name}}

Unsubscribe: {{unsubscribe_url}}`;

export function templateFormValues(template: EmailTemplate | undefined): TemplateFormValues {
  if (!template) {
    return {
      name: '',
      category: 'marketing',
      description: '',
      subject: '',
      body_html: starterHtml,
      body_text: starterText,
    };
  }
  return {
    name: template.name,
    category: template.category,
    description: template.description ?? '',
    subject: template.subject,
    body_html: template.body_html,
    body_text: template.body_text,
  };
}

export function toCreateBody(values: TemplateFormValues): EmailTemplateCreate {
  return {
    name: values.name.trim(),
    category: values.category,
    description: emptyToNull(values.description),
    subject: values.subject.trim(),
    body_html: values.body_html,
    body_text: values.body_text,
  };
}

/**
 * An edit sends only what changed since the template was loaded (plus the version it was loaded
 * at), so a rename alone never makes a new content version.
 */
export function toUpdateBody(
  values: TemplateFormValues,
  base: TemplateFormValues,
  version: number,
): EmailTemplateUpdate {
  const body: EmailTemplateUpdate = { version };
  const next = toCreateBody(values);
  const before = toCreateBody(base);
  if (next.name !== before.name) body.name = next.name;
  if (next.category !== before.category) body.category = next.category;
  if (next.description !== before.description) body.description = next.description;
  for (const field of contentFields) {
    if (next[field] !== before[field]) body[field] = next[field];
  }
  return body;
}

export function validateTemplate(values: TemplateFormValues): Record<string, string> {
  return zodErrors(emailTemplateCreateSchema, toCreateBody(values));
}

const formFields = new Set(['name', 'category', 'description', ...contentFields]);

/** Server field errors that belong to a field of the form, keyed by that field. */
export function templateFieldErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const field = path.split('.')[0] ?? path;
    if (formFields.has(field)) errors[field] ??= message;
  }
  return errors;
}
