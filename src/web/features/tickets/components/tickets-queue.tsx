import { Button, Card, Center, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconClockCog, IconPlus, IconTicket } from '@tabler/icons-react';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useTickets } from '../api/get-tickets.js';
import {
  parseTicketParams,
  type TicketQueueFilters as Filters,
  toTicketQuery,
  toTicketSearchParams,
} from '../ticket-list-params.js';
import { NewTicketModal } from './new-ticket-modal.js';
import { SlaPoliciesModal } from './sla-policies-modal.js';
import { TicketQueueFilters } from './ticket-queue-filters.js';
import { TicketStatusTabs } from './ticket-status-tabs.js';
import { TicketsTable } from './tickets-table.js';

function EmptyState({ filtered }: { filtered: boolean }) {
  return (
    <Stack align="center" gap="xs" py={48}>
      <IconTicket size={40} stroke={1.4} opacity={0.5} aria-hidden />
      <Text fw={600}>No tickets here</Text>
      <Text size="sm" c="dimmed">
        {filtered ? 'Try another tab or fewer filters.' : 'Nothing in this tab right now.'}
      </Text>
    </Stack>
  );
}

/** The support queue: tabs by status with counts, filters in the URL, pages by cursor. */
export function TicketsQueue() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseTicketParams(params), [params]);
  const canWrite = usePermission('customers:write');
  const canManage = usePermission('settings:manage');
  const [creating, createModal] = useDisclosure(false);
  const [editingSla, slaModal] = useDisclosure(false);

  const update = useCallback(
    (patch: Partial<Filters>) =>
      setParams((current) => toTicketSearchParams({ ...parseTicketParams(current), ...patch })),
    [setParams],
  );

  const query = useTickets(toTicketQuery(filters));
  const tickets = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const counts = query.data?.pages[0]?.counts;

  return (
    <>
      <PageHeader
        title="Tickets"
        description="Support requests from customers, soonest due first"
        actions={
          <>
            {canManage ? (
              <Button variant="default" leftSection={<IconClockCog size={16} />} onClick={slaModal.open}>
                SLA policies
              </Button>
            ) : null}
            {canWrite ? (
              <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
                New ticket
              </Button>
            ) : null}
          </>
        }
      />
      <TicketStatusTabs value={filters.tab} counts={counts} onChange={(tab) => update({ tab })} />
      <TicketQueueFilters filters={filters} onChange={update} />
      <Card withBorder padding={0}>
        {query.isError ? (
          <Stack p="md">
            <QueryError error={query.error} onRetry={() => void query.refetch()} />
          </Stack>
        ) : query.isPending ? (
          <Stack p="md" gap="xs" aria-busy="true" aria-label="Loading tickets">
            {['a', 'b', 'c', 'd', 'e', 'f'].map((k) => (
              <Skeleton key={k} h={28} />
            ))}
          </Stack>
        ) : tickets.length === 0 ? (
          <EmptyState filtered={!!filters.priority?.length || !!filters.assignee} />
        ) : (
          <TicketsTable tickets={tickets} />
        )}
      </Card>
      {query.hasNextPage ? (
        <Center mt="md">
          <Button
            variant="default"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            Load more
          </Button>
        </Center>
      ) : null}
      {canWrite ? <NewTicketModal opened={creating} onClose={createModal.close} /> : null}
      {canManage ? <SlaPoliciesModal opened={editingSla} onClose={slaModal.close} /> : null}
    </>
  );
}
