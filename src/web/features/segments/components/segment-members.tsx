import { Anchor, Button, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconUserMinus, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { CustomerRow } from '../../../../shared/customers.js';
import type { Segment } from '../../../../shared/segments.js';
import { QueryError } from '../../../components/query-error.js';
import { StageBadge } from '../../../components/status-badge.js';
import { displayName, formatCount, formatDate, formatMoney } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useSegmentCustomers } from '../api/get-segment-customers.js';
import { useRemoveSegmentMembers } from '../api/segment-members.js';

const numeric = { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } as const;

/** The segment's members, page by page; managers remove members of a manual segment. */
export function SegmentMembers({ segment, canManage }: { segment: Segment; canManage: boolean }) {
  const members = useSegmentCustomers(segment.id);
  const remove = useRemoveSegmentMembers();
  const canRemove = canManage && !segment.auto_update;

  const rows = members.data?.pages.flatMap((page) => page.data) ?? [];
  const firstPage = members.data?.pages[0];
  const total = firstPage
    ? firstPage.total_exact
      ? formatCount(firstPage.total)
      : `${formatCount(firstPage.total)}+`
    : null;

  const confirmRemove = (customer: CustomerRow) => {
    const name = displayName(customer);
    modals.openConfirmModal({
      title: `Remove ${name} from ${segment.name}?`,
      centered: true,
      children: (
        <Text size="sm">The customer stays in the CRM; only their membership of this segment ends.</Text>
      ),
      labels: { confirm: 'Remove', cancel: 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(
          { segmentId: segment.id, body: { customer_ids: [customer.id] } },
          {
            onSuccess: () => notifySuccess(`${name} removed from ${segment.name}`),
            onError: (error) => notifyError(error, 'Could not remove the customer'),
          },
        ),
    });
  };

  return (
    <Card withBorder padding={0} component="section" aria-labelledby="segment-members-title">
      <Group justify="space-between" p="md" pb="sm">
        <Title order={2} size="h4" id="segment-members-title">
          Members
        </Title>
        {total !== null ? (
          <Text size="sm" c="dimmed">
            {rows.length < (firstPage?.total ?? 0)
              ? `Showing ${formatCount(rows.length)} of ${total}`
              : `${total} ${firstPage?.total === 1 ? 'member' : 'members'}`}
          </Text>
        ) : null}
      </Group>
      {members.isPending ? (
        <Stack p="md" pt={0} gap="sm" role="status" aria-busy="true" aria-label="Loading members">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={32} />
          ))}
        </Stack>
      ) : members.isError ? (
        <QueryError
          error={members.error}
          title="Could not load the members"
          onRetry={() => void members.refetch()}
        />
      ) : rows.length === 0 ? (
        <Stack align="center" gap={4} py="xl" px="md" ta="center">
          <IconUsers size={32} stroke={1.4} opacity={0.5} aria-hidden />
          <Text fw={600}>No members</Text>
          <Text size="sm" c="dimmed">
            {segment.auto_update
              ? 'No customer matches the criteria right now.'
              : 'Add customers from the customer list.'}
          </Text>
        </Stack>
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" horizontalSpacing="md" aria-label="Segment members" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Stage</Table.Th>
                  <Table.Th style={numeric}>Lifetime value</Table.Th>
                  <Table.Th style={numeric}>Orders</Table.Th>
                  <Table.Th>Last order</Table.Th>
                  {canRemove ? <Table.Th style={{ textAlign: 'right' }}>Actions</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((customer) => (
                  <Table.Tr key={customer.id}>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/customers/${customer.id}`}
                        size="sm"
                        fw={600}
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {displayName(customer)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={customer.email ? undefined : 'dimmed'}>
                        {customer.email ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StageBadge stage={customer.lifecycle_stage} />
                    </Table.Td>
                    <Table.Td style={numeric}>{formatMoney(customer.lifetime_value)}</Table.Td>
                    <Table.Td style={numeric}>{formatCount(customer.total_orders)}</Table.Td>
                    <Table.Td>{formatDate(customer.last_order_date)}</Table.Td>
                    {canRemove ? (
                      <Table.Td style={{ textAlign: 'right' }}>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          leftSection={<IconUserMinus size={14} aria-hidden />}
                          onClick={() => confirmRemove(customer)}
                          aria-label={`Remove ${displayName(customer)} from the segment`}
                        >
                          Remove
                        </Button>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {members.hasNextPage ? (
            <Group justify="center" p="md">
              <Button
                variant="light"
                onClick={() => void members.fetchNextPage()}
                loading={members.isFetchingNextPage}
              >
                Load more
              </Button>
            </Group>
          ) : null}
        </>
      )}
    </Card>
  );
}
