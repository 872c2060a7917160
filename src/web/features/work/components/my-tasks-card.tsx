import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { TaskList } from '../../../../shared/tasks.js';
import { usePermission } from '../../auth/api/get-me.js';
import { TaskDoneCheckbox } from '../../tasks/components/task-done-checkbox.js';
import { TaskDue } from '../../tasks/components/task-due.js';
import { TaskFormModal } from '../../tasks/components/task-form-modal.js';
import { countLabel, WorkCard, WorkEmpty } from './work-card.js';

/** My open tasks, overdue first (the server's order), each ticked off in place. */
export function MyTasksCard({ tasks }: { tasks: TaskList }) {
  const canWrite = usePermission('customers:write');
  const [creating, setCreating] = useState(false);
  const overdue = tasks.data.filter((t) => t.overdue && !t.done).length;
  return (
    <WorkCard
      title="My tasks"
      count={countLabel(tasks.data.length, tasks.next_cursor !== null)}
      extra={
        overdue > 0 ? (
          <Badge color="red.9" variant="filled">
            {overdue} overdue
          </Badge>
        ) : null
      }
      action={
        canWrite ? (
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => setCreating(true)}
          >
            New task
          </Button>
        ) : null
      }
      link={{ to: '/tasks?assignee=me', label: 'All my tasks' }}
    >
      {tasks.data.length === 0 ? (
        <WorkEmpty>Nothing to do. Enjoy the quiet.</WorkEmpty>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="My open tasks">
          {tasks.data.map((task) => (
            <Group key={task.id} component="li" gap="sm" wrap="nowrap" align="flex-start">
              <TaskDoneCheckbox task={task} disabled={!canWrite} />
              <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={500} truncate td={task.done ? 'line-through' : undefined}>
                  {task.title}
                </Text>
                {task.customer ? (
                  <Anchor component={Link} to={`/customers/${task.customer.id}`} size="xs" truncate>
                    {task.customer.name ?? 'Unnamed customer'}
                  </Anchor>
                ) : null}
              </Stack>
              <TaskDue task={task} />
            </Group>
          ))}
        </Stack>
      )}
      {creating ? <TaskFormModal opened onClose={() => setCreating(false)} /> : null}
    </WorkCard>
  );
}
