import { Anchor, Badge, Card, Divider, Group, Select, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import {
  doneTicketStatuses,
  type TicketDetail,
  type TicketPriority,
  type TicketStatus,
  ticketStatuses,
} from '../../../../shared/tickets.js';
import { formatDateTime, formatRelative, humanize } from '../../../lib/format.js';
import { priorityOptions } from './new-ticket-modal.js';
import { useStaffOptions } from './staff-options.js';
import { SlaDue, TicketPriorityBadge, TicketStatusBadge } from './ticket-badges.js';
import type { TicketChanges } from './use-save-ticket.js';

const statusOptions = ticketStatuses.map((s) => ({ value: s, label: humanize(s) }));

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Text>
      <div style={{ textAlign: 'right', minWidth: 0 }}>{children}</div>
    </Group>
  );
}

function When({ value }: { value: string | null }) {
  return <Text size="sm">{value ? formatDateTime(value) : '—'}</Text>;
}

/** Status, priority and assignee (saved as soon as they change), then the SLA and the ticket's times. */
export function TicketProperties({
  ticket,
  canEdit,
  saving,
  onSave,
}: {
  ticket: TicketDetail;
  canEdit: boolean;
  saving: boolean;
  onSave: (changes: TicketChanges) => void;
}) {
  const staffOptions = useStaffOptions(canEdit);
  const assigneeOptions =
    ticket.assignee && !staffOptions.some((o) => o.value === ticket.assignee?.id)
      ? [...staffOptions, { value: ticket.assignee.id, label: ticket.assignee.name ?? 'Former staff' }]
      : staffOptions;
  const done = doneTicketStatuses.includes(ticket.status);

  return (
    <Card withBorder padding="lg" component="section" aria-label="Ticket details">
      <Stack gap="sm">
        {canEdit ? (
          <>
            <Select
              label="Status"
              data={statusOptions}
              value={ticket.status}
              allowDeselect={false}
              disabled={saving}
              onChange={(v) => v && v !== ticket.status && onSave({ status: v as TicketStatus })}
            />
            <Select
              label="Priority"
              description="Changing it recomputes the SLA due time"
              data={priorityOptions}
              value={ticket.priority}
              allowDeselect={false}
              disabled={saving}
              onChange={(v) => v && v !== ticket.priority && onSave({ priority: v as TicketPriority })}
            />
            <Select
              label="Assignee"
              placeholder="Unassigned"
              data={assigneeOptions}
              value={ticket.assignee?.id ?? null}
              searchable
              clearable
              disabled={saving}
              onChange={(v) => v !== (ticket.assignee?.id ?? null) && onSave({ assignee_id: v })}
            />
          </>
        ) : (
          <>
            <Row label="Status">
              <TicketStatusBadge status={ticket.status} />
            </Row>
            <Row label="Priority">
              <TicketPriorityBadge priority={ticket.priority} />
            </Row>
            <Row label="Assignee">
              <Text size="sm">{ticket.assignee ? (ticket.assignee.name ?? 'Unnamed') : 'Unassigned'}</Text>
            </Row>
          </>
        )}
        <Divider />
        <Row label="Customer">
          {ticket.customer ? (
            <Anchor component={Link} to={`/customers/${ticket.customer.id}`} size="sm">
              {ticket.customer.name ?? 'Unnamed customer'}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              None
            </Text>
          )}
        </Row>
        <Row label="SLA due">
          <Stack gap={2} align="flex-end">
            <SlaDue dueAt={ticket.sla_due_at} breached={ticket.breached} breach={ticket.breach} done={done} />
            <Text size="xs" c="dimmed">
              {formatDateTime(ticket.sla_due_at)}
            </Text>
          </Stack>
        </Row>
        <Row label="Opened">
          <When value={ticket.created_at} />
        </Row>
        <Row label="First response">
          {ticket.first_response_at || done ? (
            <When value={ticket.first_response_at} />
          ) : (
            <Text
              size="sm"
              c={ticket.breach === 'first_response' ? 'red' : undefined}
              title={formatDateTime(ticket.first_response_due_at)}
            >
              {ticket.breach === 'first_response' ? 'overdue, was due ' : 'due '}
              {formatRelative(ticket.first_response_due_at)}
            </Text>
          )}
        </Row>
        <Row label="Resolved">
          <When value={ticket.resolved_at} />
        </Row>
        <Row label="Closed">
          <When value={ticket.closed_at} />
        </Row>
        {ticket.external_source ? (
          <Row label="Source">
            <Badge variant="light" color="grape" size="sm">
              {ticket.external_source}
              {ticket.external_id ? ` · ${ticket.external_id}` : ''}
            </Badge>
          </Row>
        ) : null}
      </Stack>
    </Card>
  );
}
