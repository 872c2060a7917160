import { Group, SegmentedControl, Switch } from '@mantine/core';
import type { AssigneeFilter, StatusFilter, TaskListFilters } from '../task-list-params.js';

/** Whose tasks, which state, and "overdue only"; each change is written to the URL by the caller. */
export function TaskFilters({
  filters,
  onChange,
}: {
  filters: TaskListFilters;
  onChange: (patch: Partial<TaskListFilters>) => void;
}) {
  return (
    <Group gap="md" mb="md" wrap="wrap">
      <SegmentedControl
        aria-label="Assignee"
        value={filters.assignee}
        onChange={(v) => onChange({ assignee: v as AssigneeFilter })}
        data={[
          { value: 'me', label: 'Mine' },
          { value: 'none', label: 'Unassigned' },
          { value: 'all', label: 'Everyone' },
        ]}
      />
      <SegmentedControl
        aria-label="Status"
        value={filters.status}
        onChange={(v) => onChange({ status: v as StatusFilter })}
        data={[
          { value: 'open', label: 'Open' },
          { value: 'done', label: 'Done' },
          { value: 'all', label: 'All' },
        ]}
      />
      <Switch
        label="Overdue only"
        checked={filters.overdue && filters.status !== 'done'}
        disabled={filters.status === 'done'}
        onChange={(event) => onChange({ overdue: event.currentTarget.checked })}
      />
    </Group>
  );
}
