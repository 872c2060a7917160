import { Button, Center, Group, Skeleton, Stack, Switch, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { Task } from '../../../../shared/tasks.js';
import { QueryError } from '../../../components/query-error.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useTasks } from '../api/get-tasks.js';
import { TaskFormModal } from './task-form-modal.js';
import { TaskTable } from './task-table.js';
import { useTaskActions } from './use-task-actions.js';

function useCustomerTaskList(customerId: string, done: boolean) {
  const query = useTasks({ customer_id: customerId, done: done ? 'true' : 'false' });
  const tasks = useMemo<Task[]>(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  return { query, tasks };
}

/** One customer's tasks: open ones (overdue first), done ones behind "Show done". */
export function CustomerTasks({ customerId }: { customerId: string }) {
  const canWrite = usePermission('customers:write');
  const actions = useTaskActions();
  const [showDone, setShowDone] = useState(false);
  const open = useCustomerTaskList(customerId, false);
  const done = useCustomerTaskList(customerId, true);
  const doneCount = done.tasks.length;
  const shown = showDone ? [...open.tasks, ...done.tasks] : open.tasks;
  const more = open.query.hasNextPage ? open.query : showDone && done.query.hasNextPage ? done.query : null;

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Switch
          label={`Show done${done.query.data ? ` (${doneCount}${done.query.hasNextPage ? '+' : ''})` : ''}`}
          checked={showDone}
          onChange={(e) => setShowDone(e.currentTarget.checked)}
        />
        {canWrite ? (
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={actions.openNew}>
            New task
          </Button>
        ) : null}
      </Group>
      {open.query.isPending ? (
        <Skeleton height={80} />
      ) : open.query.isError ? (
        <QueryError
          error={open.query.error}
          onRetry={() => void open.query.refetch()}
          title="Could not load tasks"
        />
      ) : shown.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="lg">
          {doneCount > 0 ? 'Nothing open for this customer.' : 'No tasks for this customer yet.'}
        </Text>
      ) : (
        <TaskTable
          tasks={shown}
          label="Customer tasks"
          canWrite={canWrite}
          showCustomer={false}
          onEdit={actions.openEdit}
          onDelete={actions.confirmDelete}
        />
      )}
      {more ? (
        <Center>
          <Button
            variant="default"
            size="xs"
            loading={more.isFetchingNextPage}
            onClick={() => void more.fetchNextPage()}
          >
            Load more
          </Button>
        </Center>
      ) : null}
      {canWrite && actions.editing !== undefined ? (
        <TaskFormModal
          key={actions.editing?.id ?? 'new'}
          opened
          onClose={actions.close}
          task={actions.editing ?? undefined}
          customer={actions.editing ? undefined : { id: customerId, name: null }}
        />
      ) : null}
    </Stack>
  );
}
