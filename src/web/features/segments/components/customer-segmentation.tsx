import { Anchor, Button, Card, Skeleton, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { IconChartPie, IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount, formatDate, formatRelative } from '../../../lib/format.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useSegments } from '../api/get-segments.js';
import { SegmentTypeBadge } from './segment-type-badge.js';

function EmptyState({ canManage }: { canManage: boolean }) {
  return (
    <Stack align="center" gap="xs" py={48} px="md" ta="center">
      <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
        <IconChartPie size={30} stroke={1.5} />
      </ThemeIcon>
      <Text fw={600} size="lg">
        No segments yet
      </Text>
      <Text size="sm" c="dimmed" maw={520}>
        A segment is a group of customers. An automatic segment keeps itself up to date from criteria such as
        “lifetime value over $500 and tagged VIP”; a manual one holds the customers you pick. Use segments to
        target email, export lists and follow what a group is worth over time.
      </Text>
      {canManage ? (
        <Button component={Link} to="/segments/new" leftSection={<IconPlus size={16} />} mt="xs">
          Create your first segment
        </Button>
      ) : (
        <Text size="sm" c="dimmed">
          Ask a manager to create one.
        </Text>
      )}
    </Stack>
  );
}

/**
 * `CustomerSegmentation` (the story's segmentation screen): every segment with its type, size and
 * description; managers create new ones.
 */
export function CustomerSegmentation() {
  const segments = useSegments();
  const canManage = usePermission('segments:manage');

  return (
    <>
      <PageHeader
        title="Segments"
        description="Groups of customers, kept by hand or by criteria, with what each is worth."
        actions={
          canManage ? (
            <Button component={Link} to="/segments/new" leftSection={<IconPlus size={16} />}>
              New segment
            </Button>
          ) : null
        }
      />
      <Card withBorder padding={0}>
        {segments.isPending ? (
          <Stack p="md" gap="sm" role="status" aria-busy="true" aria-label="Loading segments">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} height={36} />
            ))}
          </Stack>
        ) : segments.isError ? (
          <QueryError
            error={segments.error}
            onRetry={() => void segments.refetch()}
            title="Could not load segments"
          />
        ) : segments.data.length === 0 ? (
          <EmptyState canManage={canManage} />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Segments" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Segment</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th ta="right">Customers</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th>Updated</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {segments.data.map((segment) => (
                  <Table.Tr key={segment.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/segments/${segment.id}`} fw={600} size="sm">
                        {segment.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <SegmentTypeBadge automatic={segment.auto_update} />
                    </Table.Td>
                    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {segment.building ? 'Building…' : formatCount(segment.customer_count)}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={segment.description ? undefined : 'dimmed'} lineClamp={2}>
                        {segment.description ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" title={formatRelative(segment.updated_at)}>
                        {formatDate(segment.updated_at)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </>
  );
}
