import { Badge, Group, type MantineColor, Text, Tooltip } from '@mantine/core';
import type { TicketPriority, TicketStatus } from '../../../../shared/tickets.js';
import { formatDateTime, formatRelative, humanize } from '../../../lib/format.js';

const statusColors: Record<TicketStatus, MantineColor> = {
  open: 'blue',
  pending: 'yellow',
  resolved: 'green',
  closed: 'gray',
};

const priorityColors: Record<TicketPriority, MantineColor> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  return (
    <Badge color={statusColors[status]} variant="light" size="sm">
      {humanize(status)}
    </Badge>
  );
}

export function TicketPriorityBadge({ priority }: { priority: TicketPriority }) {
  return (
    <Badge color={priorityColors[priority]} variant="outline" size="sm">
      {humanize(priority)}
    </Badge>
  );
}

/** The SLA due time, relative ("in 3 hours"), with a red "Breached" badge once it has passed. */
export function SlaDue({
  dueAt,
  breached,
  breach,
  done,
}: {
  dueAt: string;
  breached: boolean;
  /** Which SLA clock ran out. */
  breach?: 'first_response' | 'resolution' | null;
  /** Resolved or closed: the due time no longer matters. */
  done?: boolean;
}) {
  return (
    <Group gap={6} wrap="nowrap">
      <Tooltip label={formatDateTime(dueAt)} withArrow>
        <Text size="sm" c={done ? 'dimmed' : undefined} style={{ whiteSpace: 'nowrap' }}>
          {formatRelative(dueAt)}
        </Text>
      </Tooltip>
      {breached ? (
        <Tooltip
          label={breach === 'first_response' ? 'No first response in time' : 'Not resolved in time'}
          withArrow
        >
          <Badge color="red.9" variant="filled" size="sm">
            Breached
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}
