import { useParams } from 'react-router';
import { TemplateEditor } from '../../features/communications/components/template-editor.js';

/** /communications/templates/new and /communications/templates/:id */
export function EmailTemplatePage() {
  const { id } = useParams();
  return <TemplateEditor key={id ?? 'new'} {...(id ? { templateId: id } : {})} />;
}
