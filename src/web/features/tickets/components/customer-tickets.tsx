import { Anchor, Button, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { doneTicketStatuses } from '../../../../shared/tickets.js';
import { QueryError } from '../../../components/query-error.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useTickets } from '../api/get-tickets.js';
import { NewTicketModal } from './new-ticket-modal.js';
import { SlaDue, TicketPriorityBadge, TicketStatusBadge } from './ticket-badges.js';

/** A customer's tickets, newest first, with "New ticket" for this customer. */
export function CustomerTickets({ customerId }: { customerId: string }) {
  const canWrite = usePermission('customers:write');
  const [creating, createModal] = useDisclosure(false);
  const query = useTickets({ customer_id: customerId, sort: 'created_at', order: 'desc' });
  const tickets = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {query.data
            ? `${tickets.length}${query.hasNextPage ? '+' : ''} ${tickets.length === 1 ? 'ticket' : 'tickets'}`
            : ' '}
        </Text>
        {canWrite ? (
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={createModal.open}>
            New ticket
          </Button>
        ) : null}
      </Group>
      {query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label="Loading tickets">
          <Skeleton h={24} />
          <Skeleton h={24} />
          <Skeleton h={24} />
        </Stack>
      ) : tickets.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="lg">
          No tickets for this customer yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" aria-label="Customer tickets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Priority</Table.Th>
                <Table.Th>SLA due</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tickets.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      #{t.number}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${t.id}`} size="sm" lineClamp={1}>
                      {t.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <TicketStatusBadge status={t.status} />
                  </Table.Td>
                  <Table.Td>
                    <TicketPriorityBadge priority={t.priority} />
                  </Table.Td>
                  <Table.Td>
                    <SlaDue
                      dueAt={t.sla_due_at}
                      breached={t.breached}
                      breach={t.breach}
                      done={doneTicketStatuses.includes(t.status)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {query.hasNextPage ? (
        <Button
          variant="subtle"
          size="xs"
          loading={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
          w="fit-content"
        >
          Load more
        </Button>
      ) : null}
      {canWrite ? (
        <NewTicketModal opened={creating} onClose={createModal.close} customerId={customerId} />
      ) : null}
    </Stack>
  );
}
