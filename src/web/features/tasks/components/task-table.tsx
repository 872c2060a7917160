import { ActionIcon, Anchor, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Task } from '../../../../shared/tasks.js';
import { TaskDoneCheckbox } from './task-done-checkbox.js';
import { TaskDue, TaskReminder } from './task-due.js';

export interface TaskTableProps {
  tasks: Task[];
  label: string;
  canWrite: boolean;
  /** false on a customer's own tab, where every row is about that customer. */
  showCustomer?: boolean;
  /** A task to point out (a link from elsewhere, e.g. an interaction's follow-up): tinted and scrolled to. */
  highlightId?: string | undefined;
  onEdit: (task: Task) => void;
  onDelete: (task: Task) => void;
}

const scrollIntoView = (row: HTMLTableRowElement | null) => row?.scrollIntoView?.({ block: 'center' });

function TaskTitle({ task }: { task: Task }) {
  return (
    <Stack gap={0}>
      <Text
        size="sm"
        fw={500}
        td={task.done ? 'line-through' : undefined}
        c={task.done ? 'dimmed' : undefined}
      >
        {task.title}
      </Text>
      {task.description ? (
        <Text size="xs" c="dimmed" lineClamp={1}>
          {task.description}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Tasks in the server's order, each with its done box, due time, reminder and (for writers) actions. */
export function TaskTable({
  tasks,
  label,
  canWrite,
  showCustomer = true,
  highlightId,
  onEdit,
  onDelete,
}: TaskTableProps) {
  return (
    <Table.ScrollContainer minWidth={showCustomer ? 820 : 640}>
      <Table verticalSpacing="sm" horizontalSpacing="md" aria-label={label} highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={48}>
              <VisuallyHidden>Done</VisuallyHidden>
            </Table.Th>
            <Table.Th>Task</Table.Th>
            {showCustomer ? <Table.Th>Customer</Table.Th> : null}
            <Table.Th>Assignee</Table.Th>
            <Table.Th miw={150}>Due</Table.Th>
            <Table.Th>Reminder</Table.Th>
            {canWrite ? <Table.Th ta="right">Actions</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr
              key={task.id}
              aria-current={task.id === highlightId ? 'true' : undefined}
              bg={task.id === highlightId ? 'var(--mantine-primary-color-light)' : undefined}
              ref={task.id === highlightId ? scrollIntoView : undefined}
            >
              <Table.Td>
                <TaskDoneCheckbox task={task} disabled={!canWrite} />
              </Table.Td>
              <Table.Td>
                <TaskTitle task={task} />
              </Table.Td>
              {showCustomer ? (
                <Table.Td>
                  {task.customer ? (
                    <Anchor component={Link} to={`/customers/${task.customer.id}`} size="sm">
                      {task.customer.name ?? 'Unnamed customer'}
                    </Anchor>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              ) : null}
              <Table.Td>
                <Text size="sm" c={task.assignee ? undefined : 'dimmed'}>
                  {task.assignee ? (task.assignee.name ?? 'Unnamed') : 'Unassigned'}
                </Text>
              </Table.Td>
              <Table.Td>
                <TaskDue task={task} />
              </Table.Td>
              <Table.Td>
                <TaskReminder task={task} />
              </Table.Td>
              {canWrite ? (
                <Table.Td>
                  <Group justify="flex-end" gap={4} wrap="nowrap">
                    <Tooltip label="Edit" withArrow>
                      <ActionIcon
                        variant="subtle"
                        onClick={() => onEdit(task)}
                        aria-label={`Edit task ${task.title}`}
                      >
                        <IconEdit size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Delete" withArrow>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => onDelete(task)}
                        aria-label={`Delete task ${task.title}`}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
