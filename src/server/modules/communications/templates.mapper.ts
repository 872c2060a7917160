import type { EmailTemplate, EmailTemplateVersion } from '../../../shared/communications.js';
import type { TemplateRow, TemplateVersionRow } from './templates.queries.js';

/** The one mapper from a template row (with its current content) to the API's shape. */
export function toEmailTemplate(row: TemplateRow): EmailTemplate {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    category: row.category,
    version: row.current_version,
    subject: row.subject,
    body_html: row.body_html,
    body_text: row.body_text,
    archived: row.archived,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toEmailTemplateVersion(row: TemplateVersionRow): EmailTemplateVersion {
  return {
    version: row.version,
    subject: row.subject,
    body_html: row.body_html,
    body_text: row.body_text,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
  };
}
