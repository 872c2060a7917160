import dayjs from 'dayjs';
import { type PickerValue, pickerFormat } from '../../lib/picker-dates.js';

/** The due time moved back by this much, as a picker value (null without a due time). */
export function before(due: PickerValue, amount: number, unit: 'hour' | 'day'): PickerValue {
  return due ? dayjs(due).subtract(amount, unit).format(pickerFormat) : null;
}

/** The client-side twin of the server's rule: a reminder may not come after the due time. */
export function reminderError(due: PickerValue, remind: PickerValue): string | null {
  if (due && remind && dayjs(remind).isAfter(dayjs(due))) {
    return 'The reminder must not come after the due time';
  }
  return null;
}
