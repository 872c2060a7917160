import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useState } from 'react';
import type { Task } from '../../../../shared/tasks.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useDeleteTask } from '../api/delete-task.js';

/** Which task the form edits (undefined: closed; null: a new one), and delete with confirmation. */
export function useTaskActions() {
  const [editing, setEditing] = useState<Task | null | undefined>(undefined);
  const remove = useDeleteTask();
  const confirmDelete = (task: Task) =>
    modals.openConfirmModal({
      title: 'Delete this task?',
      centered: true,
      children: (
        <Text size="sm">
          “{task.title}” will be deleted
          {task.customer
            ? `; ${task.customer.name ?? 'the customer'}’s timeline keeps that it was created`
            : ''}
          .
        </Text>
      ),
      labels: { confirm: 'Delete task', cancel: 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(task.id, {
          onSuccess: (deleted) => notifySuccess(`Task “${deleted.title}” deleted`),
          onError: (error) => notifyError(error, 'Could not delete the task'),
        }),
    });
  return {
    editing,
    openNew: () => setEditing(null),
    openEdit: (task: Task) => setEditing(task),
    close: () => setEditing(undefined),
    confirmDelete,
  };
}
