import { Anchor, Button, Card, Code, Group, Loader, Skeleton, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconArrowLeft, IconEdit, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { criteriaGroupSchema, printCriteria } from '../../../../shared/criteria/index.js';
import type { Segment } from '../../../../shared/segments.js';
import { QueryError } from '../../../components/query-error.js';
import { isApiError, toQueryString } from '../../../lib/api-client.js';
import { formatCount, formatDateTime, formatRelative } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { usePermission } from '../../auth/api/get-me.js';
import { ExportButton } from '../../exports/components/export-button.js';
import { useDeleteSegment } from '../api/delete-segment.js';
import { useSegment } from '../api/get-segment.js';
import { useRefreshSegment } from '../api/refresh-segment.js';
import { SegmentMembers } from './segment-members.js';
import { SegmentReport } from './segment-report.js';
import { customerCount, SegmentTypeBadge } from './segment-type-badge.js';

function BackLink() {
  return (
    <Anchor component={Link} to="/segments" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden />
        Segments
      </Group>
    </Anchor>
  );
}

/** The segment's criteria in the text form, or null when it has none (or one this app cannot read). */
function criteriaText(criteria: unknown): string | null {
  const parsed = criteriaGroupSchema.safeParse(criteria);
  return parsed.success && parsed.data.rules.length > 0 ? printCriteria(parsed.data) : null;
}

function SegmentCriteria({ segment }: { segment: Segment }) {
  const text = criteriaText(segment.criteria);
  if (!text) return null;
  return (
    <Group gap="xs" align="baseline">
      <Text size="sm" c="dimmed">
        {segment.auto_update ? 'Criteria' : 'Criteria (for reference)'}
      </Text>
      <Code style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{text}</Code>
      <Anchor component={Link} to={`/customers${toQueryString({ query: text })}`} size="sm">
        Open in customer list
      </Anchor>
    </Group>
  );
}

function SegmentActions({ segment }: { segment: Segment }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const refresh = useRefreshSegment();
  const remove = useDeleteSegment();

  const refreshNow = () =>
    refresh.mutate(segment.id, {
      onSuccess: (change) =>
        notifySuccess(
          change.added === 0 && change.removed === 0
            ? `No changes; ${customerCount(change.customer_count)}.`
            : `${formatCount(change.added)} added, ${formatCount(change.removed)} removed; ${customerCount(change.customer_count)} now.`,
          `${segment.name} refreshed`,
        ),
      onError: (error) => notifyError(error, 'Could not refresh the segment'),
    });

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete segment ${segment.name}?`,
      centered: true,
      children: (
        <Text size="sm">
          {segment.customer_count > 0
            ? `Its ${customerCount(segment.customer_count)} leave the segment; the customers themselves are kept.`
            : 'The segment has no members.'}{' '}
          This cannot be undone.
        </Text>
      ),
      labels: { confirm: 'Delete segment', cancel: 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(segment.id, {
          onSuccess: async () => {
            notifySuccess(`Segment ${segment.name} deleted`);
            await navigate('/segments');
            // not before: the page would refetch the segment it is still showing and find it gone
            queryClient.removeQueries({ queryKey: queryKeys.segments.detail(segment.id) });
          },
          onError: (error) => notifyError(error, 'Could not delete the segment'),
        }),
    });

  return (
    <Group gap="sm">
      {segment.auto_update ? (
        <Button
          variant="light"
          leftSection={<IconRefresh size={16} aria-hidden />}
          onClick={refreshNow}
          loading={refresh.isPending}
        >
          Refresh now
        </Button>
      ) : null}
      <Button
        component={Link}
        to={`/segments/${segment.id}/edit`}
        variant="light"
        leftSection={<IconEdit size={16} aria-hidden />}
      >
        Edit
      </Button>
      <Button
        variant="light"
        color="red"
        leftSection={<IconTrash size={16} aria-hidden />}
        onClick={confirmDelete}
        loading={remove.isPending}
      >
        Delete
      </Button>
    </Group>
  );
}

function SegmentHeader({ segment, canManage }: { segment: Segment; canManage: boolean }) {
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={6} maw={720}>
          <Group gap="sm" align="center">
            <Title order={1} size="h2">
              {segment.name}
            </Title>
            <SegmentTypeBadge automatic={segment.auto_update} size="md" />
          </Group>
          {segment.description ? <Text size="sm">{segment.description}</Text> : null}
          <SegmentCriteria segment={segment} />
          <Group gap="md">
            {segment.building ? (
              <Group gap={6} role="status">
                <Loader size="xs" aria-hidden />
                <Text size="sm" fw={600}>
                  Building membership in the background ({customerCount(segment.customer_count)} so far)
                </Text>
              </Group>
            ) : (
              <Text size="sm" fw={600}>
                {customerCount(segment.customer_count)}
              </Text>
            )}
            <Text size="sm" c="dimmed" title={formatDateTime(segment.updated_at)}>
              Updated {formatRelative(segment.updated_at)}
            </Text>
            <Text size="sm" c="dimmed">
              {segment.auto_update ? 'Membership follows its criteria' : 'Members picked by hand'}
            </Text>
          </Group>
        </Stack>
        <Group gap="sm">
          <ExportButton
            buttonProps={{ variant: 'light' }}
            selection={{ segment_id: segment.id }}
            scope={`Segment ${segment.name} (${customerCount(segment.customer_count)})`}
            defaultTitle={segment.name}
          />
          {canManage ? <SegmentActions segment={segment} /> : null}
        </Group>
      </Group>
    </Card>
  );
}

/** One segment: header with actions, its report and its members. */
export function SegmentDetail({ id }: { id: string }) {
  const query = useSegment(id);
  const canManage = usePermission('segments:manage');

  if (query.isPending) {
    return (
      <Stack gap="md" role="status" aria-busy="true" aria-label="Loading segment">
        <BackLink />
        <Skeleton height={120} radius="md" />
        <Skeleton height={420} radius="md" />
      </Stack>
    );
  }
  if (query.isError) {
    const missing = isApiError(query.error, 404) || isApiError(query.error, 400);
    return (
      <Stack gap="md">
        <BackLink />
        <QueryError
          error={query.error}
          title={missing ? 'Segment not found' : 'Could not load the segment'}
          onRetry={missing ? undefined : () => void query.refetch()}
        />
      </Stack>
    );
  }

  const segment = query.data;
  return (
    <Stack gap="md">
      <BackLink />
      <SegmentHeader segment={segment} canManage={canManage} />
      <SegmentReport segmentId={segment.id} />
      <SegmentMembers segment={segment} canManage={canManage} />
    </Stack>
  );
}
