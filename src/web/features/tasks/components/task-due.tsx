import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconBell, IconBellCheck } from '@tabler/icons-react';
import type { Task } from '../../../../shared/tasks.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';

/** The due time, relative with the exact time on hover; red "Overdue" when it has passed. */
export function TaskDue({ task }: { task: Task }) {
  if (task.done) {
    return (
      <Text size="sm" c="dimmed">
        Done {task.done_at ? formatRelative(task.done_at) : ''}
      </Text>
    );
  }
  if (!task.due_at) {
    return (
      <Text size="sm" c="dimmed">
        No due time
      </Text>
    );
  }
  return (
    <Tooltip label={formatDateTime(task.due_at)} withArrow>
      <Group gap={6} wrap="nowrap" tabIndex={0} aria-label={`Due ${formatDateTime(task.due_at)}`}>
        {task.overdue ? (
          <Badge color="red.9" variant="filled" size="sm" style={{ flexShrink: 0 }}>
            Overdue
          </Badge>
        ) : null}
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatRelative(task.due_at)}
        </Text>
      </Group>
    </Tooltip>
  );
}

/** The reminder bell with its time; "Reminded" once it has been delivered. */
export function TaskReminder({ task }: { task: Task }) {
  if (!task.remind_at) return null;
  const reminded = task.reminded_at !== null;
  const label = reminded
    ? `Reminded ${formatDateTime(task.reminded_at)}`
    : `Reminder ${formatDateTime(task.remind_at)}`;
  return (
    <Tooltip label={label} withArrow>
      <Group gap={4} wrap="nowrap" tabIndex={0} aria-label={label}>
        {reminded ? (
          <IconBellCheck size={16} color="var(--mantine-color-teal-6)" aria-hidden />
        ) : (
          <IconBell size={16} color="var(--mantine-color-blue-6)" aria-hidden />
        )}
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {reminded ? 'Reminded' : formatDateTime(task.remind_at)}
        </Text>
      </Group>
    </Tooltip>
  );
}
