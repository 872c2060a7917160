import { Button, Drawer, Group, MultiSelect, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import type { CustomerListFilters } from '../customer-list-params.js';

import { stageOptions, statusOptions } from './filter-options.js';

type Draft = Omit<CustomerListFilters, 'q' | 'sort' | 'order'>;

function toNumber(value: string | number): number | undefined {
  if (value === '' || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

// The API's last_order_before is exclusive; the picker's end day is meant inclusively.
const shiftDay = (day: string, by: 1 | -1) => dayjs(day).add(by, 'day').format('YYYY-MM-DD');

function draftFrom(filters: CustomerListFilters): Draft {
  const { q: _q, sort: _sort, order: _order, ...draft } = filters;
  return draft;
}

export function useOwnerOptions(enabled = true) {
  const users = useStaffDirectory(enabled);
  return [
    { value: 'me', label: 'Me' },
    { value: 'none', label: 'Unassigned' },
    ...(users.data ?? []).map((u) => ({ value: u.id, label: u.name ?? u.email })),
  ];
}

/** The full set of filters, edited as a draft and applied together (one request, not one per keystroke). */
export function CustomerFiltersDrawer({
  opened,
  onClose,
  filters,
  onApply,
}: {
  opened: boolean;
  onClose: () => void;
  filters: CustomerListFilters;
  onApply: (draft: Draft) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(filters));
  const ownerOptions = useOwnerOptions(opened);
  useEffect(() => {
    if (opened) setDraft(draftFrom(filters));
  }, [opened, filters]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <Drawer opened={opened} onClose={onClose} title="Filter customers" position="right" size="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onApply(draft);
          onClose();
        }}
      >
        <Stack gap="md">
          <MultiSelect
            label="Status"
            data={statusOptions}
            value={draft.status ?? []}
            onChange={(v) => set('status', v.length ? (v as Draft['status']) : undefined)}
            clearable
          />
          <MultiSelect
            label="Lifecycle stage"
            data={stageOptions}
            value={draft.lifecycle_stage ?? []}
            onChange={(v) => set('lifecycle_stage', v.length ? (v as Draft['lifecycle_stage']) : undefined)}
            clearable
          />
          <Group grow align="flex-start">
            <NumberInput
              label="Lifetime value from"
              prefix="$"
              min={0}
              thousandSeparator=","
              value={draft.min_lifetime_value ?? ''}
              onChange={(v) => set('min_lifetime_value', toNumber(v))}
            />
            <NumberInput
              label="Lifetime value to"
              prefix="$"
              min={0}
              thousandSeparator=","
              value={draft.max_lifetime_value ?? ''}
              onChange={(v) => set('max_lifetime_value', toNumber(v))}
            />
          </Group>
          <Group grow align="flex-start">
            <NumberInput
              label="Orders from"
              min={0}
              allowDecimal={false}
              value={draft.min_orders ?? ''}
              onChange={(v) => set('min_orders', toNumber(v))}
            />
            <NumberInput
              label="Orders to"
              min={0}
              allowDecimal={false}
              value={draft.max_orders ?? ''}
              onChange={(v) => set('max_orders', toNumber(v))}
            />
          </Group>
          <DatePickerInput
            type="range"
            label="Last order between"
            clearable
            allowSingleDateInRange
            valueFormat="D MMM YYYY"
            value={[
              draft.last_order_after ?? null,
              draft.last_order_before ? shiftDay(draft.last_order_before, -1) : null,
            ]}
            onChange={([from, to]) =>
              setDraft((d) => ({
                ...d,
                last_order_after: from ? String(from).slice(0, 10) : undefined,
                last_order_before: to ? shiftDay(String(to).slice(0, 10), 1) : undefined,
              }))
            }
          />
          <TextInput
            label="Acquisition source"
            placeholder="e.g. google_ads"
            value={draft.acquisition_source ?? ''}
            onChange={(e) => set('acquisition_source', e.currentTarget.value || undefined)}
          />
          <TextInput
            label="Country"
            description="Two-letter code, such as US or DE"
            maxLength={2}
            value={draft.country ?? ''}
            onChange={(e) => set('country', e.currentTarget.value.toUpperCase() || undefined)}
          />
          <Select
            label="Owner"
            placeholder="Anyone"
            data={ownerOptions}
            value={draft.owner_id ?? null}
            onChange={(v) => set('owner_id', v ?? undefined)}
            clearable
            searchable
          />
          <Group justify="space-between" mt="sm">
            <Button variant="subtle" onClick={() => setDraft({})}>
              Clear all
            </Button>
            <Group gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit">Apply filters</Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}
