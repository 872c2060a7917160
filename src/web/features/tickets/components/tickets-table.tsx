import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { doneTicketStatuses, type Ticket } from '../../../../shared/tickets.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { SlaDue, TicketPriorityBadge, TicketStatusBadge } from './ticket-badges.js';

function TicketRow({ ticket }: { ticket: Ticket }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          #{ticket.number}
        </Text>
      </Table.Td>
      <Table.Td maw={360}>
        <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm" fw={500} lineClamp={1}>
          {ticket.subject}
        </Anchor>
      </Table.Td>
      <Table.Td>
        {ticket.customer ? (
          <Anchor component={Link} to={`/customers/${ticket.customer.id}`} size="sm" lineClamp={1}>
            {ticket.customer.name ?? 'Unnamed customer'}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <TicketPriorityBadge priority={ticket.priority} />
      </Table.Td>
      <Table.Td>
        <TicketStatusBadge status={ticket.status} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={ticket.assignee ? undefined : 'dimmed'} lineClamp={1}>
          {ticket.assignee ? (ticket.assignee.name ?? 'Unnamed') : 'Unassigned'}
        </Text>
      </Table.Td>
      <Table.Td>
        <SlaDue
          dueAt={ticket.sla_due_at}
          breached={ticket.breached}
          breach={ticket.breach}
          done={doneTicketStatuses.includes(ticket.status)}
        />
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={formatDateTime(ticket.updated_at)} style={{ whiteSpace: 'nowrap' }}>
          {formatRelative(ticket.updated_at)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** The queue's rows: number, subject, customer, priority, status, assignee, SLA and last update. */
export function TicketsTable({ tickets }: { tickets: Ticket[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="Tickets">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Priority</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Assignee</Table.Th>
            <Table.Th>SLA due</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tickets.map((t) => (
            <TicketRow key={t.id} ticket={t} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
