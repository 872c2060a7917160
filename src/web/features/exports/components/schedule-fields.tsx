import { Button, Group, MultiSelect, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconClock } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { ExportSchedule } from '../../../../shared/exports.js';
import { formatCount } from '../../../lib/format.js';
import { useSegments } from '../../segments/api/get-segments.js';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import { cronPresets, describeCron } from '../cron-text.js';
import type { ScheduleFormValues, ScheduleTarget } from '../schedule-form.js';

type Form = UseFormReturnType<ScheduleFormValues>;

function timeZones(current: string): string[] {
  const zones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  zones.add(current);
  return [...zones];
}

/** The cron with its meaning in words underneath, and presets for the usual times. */
export function CronField({ form }: { form: Form }) {
  const reading = describeCron(form.values.cron);
  const error = form.errors.cron ?? (reading.ok ? null : reading.error);
  return (
    <Stack gap={6}>
      <TextInput
        label="When (cron)"
        required
        leftSection={<IconClock size={16} aria-hidden />}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        description={reading.ok ? reading.text : 'minute hour day-of-month month day-of-week'}
        {...form.getInputProps('cron')}
        error={form.isTouched('cron') || form.errors.cron ? error : null}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
      />
      <Group gap={6} role="group" aria-label="Schedule presets">
        {cronPresets.map((preset) => (
          <Button
            key={preset.cron}
            size="compact-xs"
            variant={form.values.cron.trim() === preset.cron ? 'filled' : 'light'}
            onClick={() => {
              form.setFieldValue('cron', preset.cron);
              form.clearFieldError('cron');
            }}
          >
            {preset.label}
          </Button>
        ))}
      </Group>
    </Stack>
  );
}

export function TimeZoneField({ form }: { form: Form }) {
  const data = useMemo(() => timeZones(form.values.timezone), [form.values.timezone]);
  return (
    <Select
      label="Time zone"
      description="The cron's times are read in this zone"
      searchable
      required
      allowDeselect={false}
      data={data}
      limit={50}
      comboboxProps={{ withinPortal: true }}
      {...form.getInputProps('timezone')}
    />
  );
}

const targets: { value: ScheduleTarget; label: string }[] = [
  { value: 'all', label: 'All customers' },
  { value: 'segment', label: 'A segment' },
];

/** All customers or one segment's members (or, when it was made so through the API, what it had). */
export function ScheduleSelectionField({ form, schedule }: { form: Form; schedule?: ExportSchedule }) {
  const segments = useSegments();
  const options = (segments.data ?? []).map((s) => ({
    value: s.id,
    label: `${s.name} (${formatCount(s.customer_count)})`,
  }));
  const withKeep =
    schedule && !(schedule.selection.all === true || typeof schedule.selection.segment_id === 'string')
      ? [...targets, { value: 'keep' as const, label: 'As it is' }]
      : targets;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500} aria-hidden>
        Customers
      </Text>
      <SegmentedControl
        aria-label="Customers"
        value={form.values.target}
        onChange={(v) => form.setFieldValue('target', v as ScheduleTarget)}
        data={withKeep}
        style={{ alignSelf: 'flex-start' }}
      />
      {form.values.target === 'segment' ? (
        <Select
          label="Segment"
          placeholder={segments.isPending ? 'Loading segments…' : 'Choose a segment'}
          searchable
          required
          data={options}
          nothingFoundMessage="No segment by that name"
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('segment_id')}
        />
      ) : form.values.target === 'keep' && schedule ? (
        <Text size="sm" c="dimmed">
          {schedule.selection_description}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Staff who get an email with the download link after each run. */
export function RecipientsField({ form, schedule }: { form: Form; schedule?: ExportSchedule }) {
  const staff = useStaffDirectory();
  const data = (staff.data ?? []).map((s) => ({
    value: s.id,
    label: s.name ? `${s.name} (${s.email})` : s.email,
  }));
  for (const r of schedule?.recipients ?? []) {
    if (!data.some((d) => d.value === r.id)) data.push({ value: r.id, label: r.name ?? r.email });
  }
  return (
    <MultiSelect
      label="Email the link to"
      description="Staff who get the download link after each run (optional)"
      placeholder={form.values.recipient_ids.length ? undefined : 'Nobody'}
      searchable
      clearable
      data={data}
      maxValues={20}
      comboboxProps={{ withinPortal: true }}
      {...form.getInputProps('recipient_ids')}
    />
  );
}
