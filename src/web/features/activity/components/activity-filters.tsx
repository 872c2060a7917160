import { Group, Select } from '@mantine/core';
import type { TimelineKind } from '../../../../shared/customers.js';
import { CompactMultiSelect } from '../../../components/compact-multi-select.js';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import type { ActivityFilters as Filters } from '../api/get-activity.js';
import { timelineKindOptions } from '../../../components/timeline-kinds.js';

const EVERYONE = 'everyone';

/** Whose activity (everyone, me, a colleague) and of which kinds. */
export function ActivityFilters({
  value,
  meId,
  onChange,
}: {
  value: Filters;
  meId: string | undefined;
  onChange: (next: Filters) => void;
}) {
  const staff = useStaffDirectory();
  const colleagues = (staff.data ?? [])
    .filter((s) => s.id !== meId)
    .map((s) => ({ value: s.id, label: s.name ?? s.email }));
  const actorOptions = [
    { value: EVERYONE, label: 'Everyone' },
    { value: 'me', label: 'Me' },
    ...(colleagues.length ? [{ group: 'Staff', items: colleagues }] : []),
  ];
  // a link naming a staff id the directory no longer lists still shows something sensible
  const actorValue =
    value.actor === null || value.actor === meId ? (value.actor === null ? EVERYONE : 'me') : value.actor;

  return (
    <Group gap="sm" mb="md" wrap="wrap" align="flex-end">
      <Select
        label="Who"
        data={actorOptions}
        value={actorValue}
        onChange={(v) => onChange({ ...value, actor: !v || v === EVERYONE ? null : String(v) })}
        allowDeselect={false}
        searchable
        w={220}
      />
      <CompactMultiSelect
        label="What"
        placeholder={value.kinds.length ? undefined : 'All but segment membership'}
        data={timelineKindOptions}
        value={[...value.kinds]}
        onChange={(v) => onChange({ ...value, kinds: v as TimelineKind[] })}
        clearable
        w={260}
      />
    </Group>
  );
}
