/** Create or edit an email template, with a preview (placeholder until built). */
export function TemplateEditor(_props: { templateId?: string }) {
  return null;
}
