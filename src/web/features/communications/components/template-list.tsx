import { Anchor, Badge, Button, Card, Group, Skeleton, Stack, Switch, Table, Text } from '@mantine/core';
import { IconPlus, IconTemplate } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { CommunicationAnalytics, EmailTemplate } from '../../../../shared/communications.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount, formatDateTime, formatRelative, humanize } from '../../../lib/format.js';
import { useAnalytics } from '../api/get-analytics.js';
import { useEmailTemplates } from '../api/get-email-templates.js';
import { analyticsQuery } from './communications-params.js';
import { combineEngagement, formatRate } from './engagement-format.js';

type Usage = ReturnType<typeof combineEngagement>;

/** Each template's numbers over all its versions. */
function usageByTemplate(analytics: CommunicationAnalytics | undefined): Map<string, Usage> {
  const rows = new Map<string, CommunicationAnalytics['templates']>();
  for (const row of analytics?.templates ?? []) {
    rows.set(row.template_id, [...(rows.get(row.template_id) ?? []), row]);
  }
  return new Map([...rows].map(([id, versions]) => [id, combineEngagement(versions)]));
}

function TemplateRow({
  template,
  usage,
  loading,
}: {
  template: EmailTemplate;
  usage?: Usage;
  loading: boolean;
}) {
  const rate = (value: number | undefined) => (loading ? '…' : usage?.sent ? formatRate(value ?? 0) : '—');
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        <Group gap="xs" wrap="nowrap">
          <Anchor component={Link} to={`/communications/templates/${template.id}`} size="sm">
            {template.name}
          </Anchor>
          {template.archived ? (
            <Badge size="xs" color="gray">
              Archived
            </Badge>
          ) : null}
        </Group>
      </Table.Th>
      <Table.Td>{humanize(template.category)}</Table.Td>
      <Table.Td ta="right">v{template.version}</Table.Td>
      <Table.Td ta="right">{loading ? '…' : formatCount(usage?.sent ?? 0)}</Table.Td>
      <Table.Td ta="right">{rate(usage?.open_rate)}</Table.Td>
      <Table.Td ta="right">{rate(usage?.click_rate)}</Table.Td>
      <Table.Td>
        <Text size="sm" title={formatDateTime(template.updated_at)} style={{ whiteSpace: 'nowrap' }}>
          {formatRelative(template.updated_at)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** Templates with their use over the period; archived ones (used, then deleted) only when asked for. */
export function TemplateList({
  days,
  showArchived,
  onShowArchived,
  canEdit,
}: {
  days: number;
  showArchived: boolean;
  onShowArchived: (show: boolean) => void;
  canEdit: boolean;
}) {
  const templates = useEmailTemplates(showArchived);
  const params = useMemo(() => analyticsQuery(days, 'month'), [days]);
  const analytics = useAnalytics(params);
  const usage = useMemo(() => usageByTemplate(analytics.data), [analytics.data]);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Switch
          label="Show archived"
          checked={showArchived}
          onChange={(event) => onShowArchived(event.currentTarget.checked)}
        />
        {canEdit ? (
          <Button component={Link} to="/communications/templates/new" leftSection={<IconPlus size={16} />}>
            New template
          </Button>
        ) : null}
      </Group>
      <Card withBorder padding={0}>
        {templates.isPending ? (
          <Stack p="md" gap="sm" role="status" aria-busy="true" aria-label="Loading templates">
            <Skeleton height={28} />
            <Skeleton height={28} />
            <Skeleton height={28} />
          </Stack>
        ) : templates.isError ? (
          <Stack p="md">
            <QueryError
              error={templates.error}
              title="Could not load the templates"
              onRetry={() => void templates.refetch()}
            />
          </Stack>
        ) : templates.data.length === 0 ? (
          <Stack align="center" gap="xs" py={48}>
            <IconTemplate size={40} stroke={1.4} opacity={0.5} aria-hidden />
            <Text fw={600}>No templates yet</Text>
            <Text size="sm" c="dimmed">
              A template is a subject and a body with variables, reused for one-to-one email and campaigns.
            </Text>
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table aria-label="Email templates" verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Category</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Version
                  </Table.Th>
                  <Table.Th scope="col" ta="right" title={`In the last ${days} days`}>
                    Sent ({days} days)
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Open %
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Click %
                  </Table.Th>
                  <Table.Th scope="col">Updated</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {templates.data.map((t) => (
                  <TemplateRow
                    key={t.id}
                    template={t}
                    usage={usage.get(t.id)}
                    loading={analytics.isPending}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}
