import { Button, Stack, Text } from '@mantine/core';
import { IconChecklist, IconPlus } from '@tabler/icons-react';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PagedListCard } from '../../../components/paged-list-card.js';
import { PageHeader } from '../../../components/page-header.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useTasks } from '../api/get-tasks.js';
import { parseTaskParams, type TaskListFilters, toTaskParams, toTaskQuery } from '../task-list-params.js';
import { TaskFilters } from './task-filters.js';
import { TaskFormModal } from './task-form-modal.js';
import { TaskTable } from './task-table.js';
import { useTaskActions } from './use-task-actions.js';

function EmptyTasks({ filtered, onNew }: { filtered: boolean; onNew?: () => void }) {
  return (
    <Stack align="center" gap={6} p="xl">
      <IconChecklist size={36} color="var(--mantine-color-dimmed)" aria-hidden />
      <Text fw={600}>Nothing to do</Text>
      <Text size="sm" c="dimmed">
        {filtered ? 'No task matches these filters.' : 'No tasks yet.'}
      </Text>
      {onNew ? (
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={onNew} mt="xs">
          New task
        </Button>
      ) : null}
    </Stack>
  );
}

/** Tasks and follow-ups: filters in the URL, open and overdue first, more pages on request. */
export function TaskList() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseTaskParams(params), [params]);
  const update = useCallback(
    (patch: Partial<TaskListFilters>) =>
      setParams((current) => toTaskParams({ ...parseTaskParams(current), ...patch }, current), {
        replace: true,
      }),
    [setParams],
  );
  const canWrite = usePermission('customers:write');
  const actions = useTaskActions();
  const query = useTasks(toTaskQuery(filters));
  const tasks = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);

  return (
    <>
      <PageHeader
        title="Tasks"
        description="Follow-ups and reminders, overdue first."
        actions={
          canWrite ? (
            <Button leftSection={<IconPlus size={16} />} onClick={actions.openNew}>
              New task
            </Button>
          ) : null
        }
      />
      <TaskFilters filters={filters} onChange={update} />
      <PagedListCard
        query={query}
        loadingLabel="Loading tasks"
        errorTitle="Could not load tasks"
        isEmpty={tasks.length === 0}
        empty={
          <EmptyTasks
            filtered={filters.assignee !== 'all' || filters.status !== 'all' || filters.overdue}
            onNew={canWrite ? actions.openNew : undefined}
          />
        }
      >
        <TaskTable
          tasks={tasks}
          label="Tasks"
          highlightId={params.get('highlight') ?? undefined}
          canWrite={canWrite}
          onEdit={actions.openEdit}
          onDelete={actions.confirmDelete}
        />
      </PagedListCard>
      {canWrite && actions.editing !== undefined ? (
        <TaskFormModal
          key={actions.editing?.id ?? 'new'}
          opened
          onClose={actions.close}
          task={actions.editing ?? undefined}
        />
      ) : null}
    </>
  );
}
