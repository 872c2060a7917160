import type { ExportValueKind } from '../../../../shared/export-fields.js';
import { toBoolean, toDate, toNumber, toText } from './cell-values.js';
import { formatDateTime } from './dates.js';

const money = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** How a person reads each kind: grouped numbers, local dates, Yes/No. */
export function showCell(kind: ExportValueKind, value: unknown, timeZone: string | undefined): string {
  switch (kind) {
    case 'money':
    case 'integer': {
      const n = toNumber(value);
      return n === null ? '' : (kind === 'money' ? money : integer).format(n);
    }
    case 'date': {
      const d = toDate(value);
      return d === null ? '' : formatDateTime(d, timeZone);
    }
    case 'boolean': {
      const b = toBoolean(value);
      return b === null ? '' : b ? 'Yes' : 'No';
    }
    default:
      return toText(value) ?? '';
  }
}

export const rightAligned = (kind: ExportValueKind) => kind === 'money' || kind === 'integer';
/** Points a column gets at least, whatever its content: enough for a short value of its kind. */
export const minWidth: Record<ExportValueKind, number> = {
  text: 40,
  list: 50,
  integer: 30,
  money: 45,
  date: 62,
  boolean: 24,
};
