import { Button, Group, Select } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { ticketPriorities } from '../../../../shared/tickets.js';
import { CompactMultiSelect } from '../../../components/compact-multi-select.js';
import { humanize } from '../../../lib/format.js';
import type { TicketQueueFilters as Filters } from '../ticket-list-params.js';
import { useStaffOptions } from './staff-options.js';

const priorityData = ticketPriorities.map((p) => ({ value: p, label: humanize(p) }));

const sortData = [
  { value: 'sla_due_at:asc', label: 'SLA due, soonest first' },
  { value: 'created_at:desc', label: 'Newest first' },
  { value: 'created_at:asc', label: 'Oldest first' },
];

/** Priority, assignee and sort for the queue; every change goes to the URL. */
export function TicketQueueFilters({
  filters,
  onChange,
}: {
  filters: Filters;
  onChange: (patch: Partial<Filters>) => void;
}) {
  const staffOptions = useStaffOptions();
  const assigneeData = [
    {
      group: 'Quick',
      items: [
        { value: 'me', label: 'Me' },
        { value: 'none', label: 'Unassigned' },
      ],
    },
    { group: 'Staff', items: staffOptions },
  ];
  const sortValue = `${filters.sort}:${filters.order}`;
  const filtered = !!filters.priority?.length || !!filters.assignee;
  return (
    <Group gap="sm" mb="sm" align="flex-end" wrap="wrap">
      <CompactMultiSelect
        label="Priority"
        placeholder={filters.priority?.length ? undefined : 'Any priority'}
        data={priorityData}
        value={filters.priority ?? []}
        onChange={(v) => onChange({ priority: v.length ? (v as Filters['priority']) : undefined })}
        clearable
        w={200}
      />
      <Select
        label="Assignee"
        placeholder="Anyone"
        data={assigneeData}
        value={filters.assignee ?? null}
        onChange={(v) => onChange({ assignee: v ?? undefined })}
        searchable
        clearable
        w={220}
      />
      <Select
        label="Sort"
        data={sortData}
        value={sortData.some((o) => o.value === sortValue) ? sortValue : 'sla_due_at:asc'}
        onChange={(v) => {
          const [sort, order] = (v ?? 'sla_due_at:asc').split(':') as [Filters['sort'], Filters['order']];
          onChange({ sort, order });
        }}
        allowDeselect={false}
        w={220}
      />
      {filtered ? (
        <Button
          variant="subtle"
          leftSection={<IconX size={16} />}
          onClick={() => onChange({ priority: undefined, assignee: undefined })}
        >
          Clear filters
        </Button>
      ) : null}
    </Group>
  );
}
