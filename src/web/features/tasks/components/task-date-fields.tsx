import { Button, Group, Stack } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import type { UseFormReturnType } from '@mantine/form';
import { IconBell, IconCalendarDue } from '@tabler/icons-react';
import { useMemo } from 'react';
import { aheadPresets } from '../../../lib/picker-dates.js';
import { before, reminderError } from '../task-dates.js';
import type { TaskFormValues } from './task-form-modal.js';

const valueFormat = 'D MMM YYYY HH:mm';

/** Due and reminder pickers; the reminder has quick picks relative to the due time. */
export function TaskDateFields({ form }: { form: UseFormReturnType<TaskFormValues> }) {
  const presets = useMemo(() => aheadPresets(), []);
  const due = form.values.due_at;
  const setReminder = (value: string | null) => {
    form.setFieldValue('remind_at', value);
    form.setFieldError('remind_at', reminderError(due, value));
  };
  return (
    <>
      <DateTimePicker
        label="Due"
        placeholder="No due time"
        leftSection={<IconCalendarDue size={16} aria-hidden />}
        valueFormat={valueFormat}
        clearable
        defaultTimeValue="09:00"
        presets={presets}
        popoverProps={{ withinPortal: true }}
        {...form.getInputProps('due_at')}
        onChange={(value) => {
          form.setFieldValue('due_at', value);
          form.setFieldError('remind_at', reminderError(value, form.values.remind_at));
        }}
      />
      <Stack gap={6}>
        <DateTimePicker
          label="Reminder"
          description="Delivered in the app when the time comes"
          placeholder="No reminder"
          leftSection={<IconBell size={16} aria-hidden />}
          valueFormat={valueFormat}
          clearable
          defaultTimeValue="09:00"
          presets={presets}
          popoverProps={{ withinPortal: true }}
          {...form.getInputProps('remind_at')}
          onChange={setReminder}
        />
        <Group gap="xs">
          <Button
            size="compact-xs"
            variant="light"
            disabled={!due}
            onClick={() => setReminder(before(due, 1, 'hour'))}
          >
            1 hour before due
          </Button>
          <Button
            size="compact-xs"
            variant="light"
            disabled={!due}
            onClick={() => setReminder(before(due, 1, 'day'))}
          >
            1 day before due
          </Button>
        </Group>
      </Stack>
    </>
  );
}
