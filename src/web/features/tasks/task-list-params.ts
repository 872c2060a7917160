import type { TaskListQuery } from '../../../shared/tasks.js';

export const assigneeFilters = ['me', 'none', 'all'] as const;
export type AssigneeFilter = (typeof assigneeFilters)[number];
export const statusFilters = ['open', 'done', 'all'] as const;
export type StatusFilter = (typeof statusFilters)[number];

/** The task list's filters as the URL keeps them (`?assignee=none&status=all&overdue=true`). */
export interface TaskListFilters {
  assignee: AssigneeFilter;
  status: StatusFilter;
  overdue: boolean;
}

export const defaultTaskFilters: TaskListFilters = { assignee: 'me', status: 'open', overdue: false };

function pick<T extends string>(values: readonly T[], raw: string | null, fallback: T): T {
  return (values as readonly string[]).includes(raw ?? '') ? (raw as T) : fallback;
}

export function parseTaskParams(params: URLSearchParams): TaskListFilters {
  return {
    assignee: pick(assigneeFilters, params.get('assignee'), defaultTaskFilters.assignee),
    status: pick(statusFilters, params.get('status'), defaultTaskFilters.status),
    overdue: params.get('overdue') === 'true',
  };
}

/** Writes the filters back, leaving out defaults (other params in `base` are kept). */
export function toTaskParams(filters: TaskListFilters, base = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of ['assignee', 'status', 'overdue'] as const) params.delete(key);
  if (filters.assignee !== defaultTaskFilters.assignee) params.set('assignee', filters.assignee);
  if (filters.status !== defaultTaskFilters.status) params.set('status', filters.status);
  if (filters.overdue) params.set('overdue', 'true');
  return params;
}

/** The API query for these filters (overdue tasks are open ones, so "Done" ignores the switch). */
export function toTaskQuery(filters: TaskListFilters): TaskListQuery {
  return {
    assignee_id: filters.assignee === 'all' ? undefined : filters.assignee,
    done: filters.status === 'all' ? undefined : filters.status === 'done' ? 'true' : 'false',
    overdue: filters.overdue && filters.status !== 'done' ? 'true' : undefined,
  };
}
