import dayjs from 'dayjs';

/** The pickers' value: a local "YYYY-MM-DD HH:mm:ss" string (Mantine dates' DateStringValue). */
export type PickerValue = string | null;

const pickerFormat = 'YYYY-MM-DD HH:mm:ss';

export function isoToPicker(iso: string | null | undefined): PickerValue {
  return iso ? dayjs(iso).format(pickerFormat) : null;
}

export function pickerToIso(value: PickerValue): string | null {
  return value ? dayjs(value).toISOString() : null;
}

/** The due time moved back by this much, as a picker value (null without a due time). */
export function before(due: PickerValue, amount: number, unit: 'hour' | 'day'): PickerValue {
  return due ? dayjs(due).subtract(amount, unit).format(pickerFormat) : null;
}

/** Quick choices in the due picker, from now. */
export function duePresets(now = dayjs()) {
  const at9 = (d: dayjs.Dayjs) => d.hour(9).minute(0).second(0).format(pickerFormat);
  return [
    { value: now.add(1, 'hour').second(0).format(pickerFormat), label: 'In 1 hour' },
    { value: at9(now.add(1, 'day')), label: 'Tomorrow 9:00' },
    { value: at9(now.add(3, 'day')), label: 'In 3 days' },
    { value: at9(now.add(1, 'week')), label: 'In a week' },
  ];
}

/** The client-side twin of the server's rule: a reminder may not come after the due time. */
export function reminderError(due: PickerValue, remind: PickerValue): string | null {
  if (due && remind && dayjs(remind).isAfter(dayjs(due))) {
    return 'The reminder must not come after the due time';
  }
  return null;
}
