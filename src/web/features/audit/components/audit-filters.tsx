import { Button, Group, Select, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconSearch, IconX } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { AuditAction } from '../../../../shared/audit.js';
import { CompactMultiSelect } from '../../../components/compact-multi-select.js';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import { type AuditFilters, actionOptions, hasAuditFilters, subjectTypes } from '../audit-params.js';

/** Typed text applies on Enter or when the box is left, not on every key. */
function SubjectIdInput({ value, onChange }: { value: string | undefined; onChange: (v?: string) => void }) {
  const [draft, setDraft] = useState(value ?? '');
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setDraft(value ?? '');
  }
  const apply = () => {
    const next = draft.trim() || undefined;
    if (next !== value) onChange(next);
  };
  return (
    <TextInput
      aria-label="Subject id"
      placeholder="Subject id"
      leftSection={<IconSearch size={16} aria-hidden />}
      value={draft}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={apply}
      onKeyDown={(e) => {
        if (e.key === 'Enter') apply();
      }}
      w={{ base: '100%', sm: 200 }}
    />
  );
}

const day = (iso: string | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD') : null);

/** Action (several), who, what it was done to, and a date range; every change goes to the URL. */
export function AuditFiltersBar({
  filters,
  onChange,
  onClear,
}: {
  filters: AuditFilters;
  onChange: (patch: Partial<AuditFilters>) => void;
  onClear: () => void;
}) {
  const staff = useStaffDirectory();
  const staffOptions = (staff.data ?? []).map((s) => ({ value: s.id, label: s.name ?? s.email }));
  if (filters.actor_id && !staffOptions.some((o) => o.value === filters.actor_id)) {
    staffOptions.push({ value: filters.actor_id, label: 'Former staff' });
  }
  // `to` is exclusive: the picker shows the last day included
  const toDay = filters.to ? dayjs(filters.to).subtract(1, 'day').toISOString() : undefined;
  const range = [day(filters.from), day(toDay)] as const;
  // the button's name includes what it shows (axe: label-content-name-mismatch)
  const shown = range[0]
    ? [range[0], range[1]]
        .filter(Boolean)
        .map((d) => dayjs(d).format('D MMM YYYY'))
        .join(' – ')
    : 'Any date';
  return (
    <Group gap="sm" mb="md" wrap="wrap" align="flex-end">
      <CompactMultiSelect
        aria-label="Action"
        placeholder={filters.action?.length ? undefined : 'Any action'}
        data={actionOptions}
        value={filters.action ?? []}
        onChange={(v) => onChange({ action: v.length ? (v as AuditAction[]) : undefined })}
        clearable
        w={{ base: '100%', sm: 250 }}
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        aria-label="Who"
        placeholder="Anyone"
        data={staffOptions}
        value={filters.actor_id ?? null}
        onChange={(v) => onChange({ actor_id: v ?? undefined })}
        searchable
        clearable
        w={{ base: '100%', sm: 180 }}
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        aria-label="Subject type"
        placeholder="Any subject"
        data={subjectTypes}
        value={filters.subject_type ?? null}
        onChange={(v) => onChange({ subject_type: v ?? undefined })}
        clearable
        w={{ base: '100%', sm: 160 }}
        comboboxProps={{ withinPortal: true }}
      />
      <SubjectIdInput value={filters.subject_id} onChange={(subject_id) => onChange({ subject_id })} />
      <DatePickerInput
        type="range"
        aria-label={`Dates: ${shown}`}
        placeholder="Any date"
        clearable
        allowSingleDateInRange
        valueFormat="D MMM YYYY"
        maxDate={new Date()}
        value={[range[0], range[1]]}
        onChange={([from, to]) =>
          onChange({
            from: from ? dayjs(from).startOf('day').toISOString() : undefined,
            to: to ? dayjs(to).add(1, 'day').startOf('day').toISOString() : undefined,
          })
        }
        w={{ base: '100%', sm: 230 }}
        popoverProps={{ withinPortal: true }}
      />
      {hasAuditFilters(filters) ? (
        <Button variant="subtle" leftSection={<IconX size={16} aria-hidden />} onClick={onClear}>
          Clear filters
        </Button>
      ) : null}
    </Group>
  );
}
