import { Anchor, Group, Select, Skeleton, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { EmailCategory, EmailTemplate } from '../../../../shared/communications.js';
import { QueryError } from '../../../components/query-error.js';
import { humanize } from '../../../lib/format.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useEmailTemplates } from '../api/get-email-templates.js';
import { useTemplatePreview } from '../api/preview-template.js';
import { EmailHtmlFrame } from './email-html-frame.js';

/** The template's current version, rendered with this customer's data, as it would be sent. */
function TemplatePreview({ template, customerId }: { template: EmailTemplate; customerId: string }) {
  const preview = useTemplatePreview({
    subject: template.subject,
    body_html: template.body_html,
    body_text: template.body_text,
    customer_id: customerId,
  });
  if (preview.isPending) return <Skeleton height={240} aria-label="Loading the preview" />;
  if (preview.isError) {
    return (
      <QueryError
        error={preview.error}
        title="Could not preview the template"
        onRetry={() => void preview.refetch()}
      />
    );
  }
  return (
    <Stack gap={4} role="region" aria-label="Template preview">
      <Text size="sm">
        <Text span c="dimmed">
          Subject:{' '}
        </Text>
        {preview.data.subject}
      </Text>
      <EmailHtmlFrame html={preview.data.html} title={`Preview: ${preview.data.subject}`} />
    </Stack>
  );
}

/** Choose a saved template; its preview uses this customer's data. */
export function TemplatePicker({
  customerId,
  value,
  error,
  onChange,
}: {
  customerId: string;
  value: string | null;
  error?: string;
  onChange: (template: { id: string; category: EmailCategory } | null) => void;
}) {
  const canManage = usePermission('email:campaigns');
  const templates = useEmailTemplates();
  if (templates.isPending) return <Skeleton height={36} aria-label="Loading templates" />;
  if (templates.isError) {
    return (
      <QueryError
        error={templates.error}
        title="Could not load the templates"
        onRetry={() => void templates.refetch()}
      />
    );
  }
  const list = templates.data.filter((t) => !t.archived);
  if (list.length === 0) {
    return (
      <Stack gap={4} py="md" align="center">
        <Text size="sm" c="dimmed">
          No templates yet
        </Text>
        {error ? (
          <Text size="sm" c="red">
            {error}
          </Text>
        ) : null}
        {canManage ? (
          <Anchor component={Link} to="/communications/templates/new" size="sm">
            Create a template
          </Anchor>
        ) : null}
      </Stack>
    );
  }
  const selected = list.find((t) => t.id === value) ?? null;
  return (
    <Stack gap="sm">
      <Select
        label="Template"
        required
        placeholder="Choose a template"
        searchable
        data={list.map((t) => ({ value: t.id, label: t.name }))}
        value={value}
        error={error}
        onChange={(id) => {
          const t = list.find((x) => x.id === id);
          onChange(t ? { id: t.id, category: t.category } : null);
        }}
        description={
          selected
            ? `${humanize(selected.category)} · version ${selected.version}${
                selected.category === 'marketing' ? ' · needs marketing consent' : ''
              }`
            : undefined
        }
      />
      {selected ? <TemplatePreview template={selected} customerId={customerId} /> : null}
      {selected ? null : (
        <Group>
          <Text size="xs" c="dimmed">
            The preview fills the template with this customer's details.
          </Text>
        </Group>
      )}
    </Stack>
  );
}
