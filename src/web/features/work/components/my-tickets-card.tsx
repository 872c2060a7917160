import { Anchor, Badge, Group, type MantineColor, Stack, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import type { TicketList, TicketPriority } from '../../../../shared/tickets.js';
import { formatDateTime, formatRelative, humanize } from '../../../lib/format.js';
import { countLabel, WorkCard, WorkEmpty } from './work-card.js';

const priorityColors: Record<TicketPriority, MantineColor> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

/** My open and pending tickets, soonest SLA first. */
export function MyTicketsCard({ tickets }: { tickets: TicketList }) {
  return (
    <WorkCard
      title="My tickets"
      count={countLabel(tickets.data.length, tickets.next_cursor !== null)}
      link={{ to: '/tickets?assignee=me', label: 'All my tickets' }}
    >
      {tickets.data.length === 0 ? (
        <WorkEmpty>No open tickets assigned to you.</WorkEmpty>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="My open tickets">
          {tickets.data.map((ticket) => (
            <Group key={ticket.id} component="li" gap="sm" wrap="nowrap">
              <Text size="sm" c="dimmed" ff="monospace">
                #{ticket.number}
              </Text>
              <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm" fw={500} truncate>
                  {ticket.subject}
                </Anchor>
                <Text size="xs" c="dimmed" truncate>
                  {humanize(ticket.status)}
                  {ticket.customer?.name ? ` · ${ticket.customer.name}` : ''}
                </Text>
              </Stack>
              <Badge size="sm" variant="light" color={priorityColors[ticket.priority]}>
                {humanize(ticket.priority)}
              </Badge>
              <Tooltip label={`SLA due ${formatDateTime(ticket.sla_due_at)}`} withArrow>
                {ticket.breached ? (
                  <Badge size="sm" color="red.9" variant="filled" tabIndex={0}>
                    SLA breached
                  </Badge>
                ) : (
                  <Text size="xs" c="dimmed" tabIndex={0} style={{ whiteSpace: 'nowrap' }}>
                    SLA {formatRelative(ticket.sla_due_at)}
                  </Text>
                )}
              </Tooltip>
            </Group>
          ))}
        </Stack>
      )}
    </WorkCard>
  );
}
