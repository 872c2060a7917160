import { Checkbox } from '@mantine/core';
import type { Task } from '../../../../shared/tasks.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError } from '../../../lib/notify.js';
import { useToggleTaskDone } from '../api/toggle-task-done.js';

/** Ticks a task done (or open again) at once; a failed save unticks it and says why. */
export function TaskDoneCheckbox({ task, disabled }: { task: Task; disabled?: boolean }) {
  const toggle = useToggleTaskDone();
  return (
    <Checkbox
      checked={task.done}
      disabled={disabled}
      aria-label={task.done ? `Reopen task ${task.title}` : `Mark task ${task.title} done`}
      onChange={(event) =>
        toggle.mutate(
          { task, done: event.currentTarget.checked },
          {
            onError: (error) =>
              notifyError(
                error,
                isApiError(error, 409)
                  ? 'Someone else changed this task; it has been reloaded'
                  : 'Could not update the task',
              ),
          },
        )
      }
    />
  );
}
