import dayjs from 'dayjs';

/** The pickers' value: a local "YYYY-MM-DD HH:mm:ss" string (Mantine dates' DateStringValue). */
export type PickerValue = string | null;

export const pickerFormat = 'YYYY-MM-DD HH:mm:ss';

export function isoToPicker(iso: string | null | undefined): PickerValue {
  return iso ? dayjs(iso).format(pickerFormat) : null;
}

export function pickerToIso(value: PickerValue): string | null {
  return value ? dayjs(value).toISOString() : null;
}

export function nowPicker(): string {
  return dayjs().second(0).format(pickerFormat);
}

/** Quick choices for a date-time picker that looks ahead (due times, follow-ups), from now. */
export function aheadPresets(now = dayjs()) {
  const at9 = (d: dayjs.Dayjs) => d.hour(9).minute(0).second(0).format(pickerFormat);
  return [
    { value: now.add(1, 'hour').second(0).format(pickerFormat), label: 'In 1 hour' },
    { value: at9(now.add(1, 'day')), label: 'Tomorrow 9:00' },
    { value: at9(now.add(3, 'day')), label: 'In 3 days' },
    { value: at9(now.add(1, 'week')), label: 'In a week' },
  ];
}
