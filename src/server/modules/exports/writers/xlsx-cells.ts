import type { Style } from 'exceljs';
import type { ExportValueKind } from '../../../../shared/export-fields.js';
import { neutraliseFormula } from './cell-safety.js';
import { toBoolean, toDate, toNumber, toText } from './cell-values.js';
import { wallClock } from './dates.js';
import type { ExportColumn, ExportRow } from './types.js';

export type XlsxValue = string | number | boolean | Date | null;
type XlsxCell = (value: unknown, timeZone: string | undefined) => XlsxValue;

const text: XlsxCell = (v) => {
  const s = toText(v);
  // exceljs never turns a string into a formula, but people copy cells into other sheets
  return s === null ? null : neutraliseFormula(s);
};

/** Typed cells, so Excel sorts, sums and filters them as numbers, dates and booleans. */
export const xlsxCells: Record<ExportValueKind, XlsxCell> = {
  text,
  list: text,
  integer: (v) => toNumber(v),
  money: (v) => toNumber(v),
  date: (v, timeZone) => {
    const d = toDate(v);
    return d === null ? null : wallClock(d, timeZone);
  },
  boolean: (v) => toBoolean(v),
};

/** One shared style object per kind: exceljs caches a style's id by object, so sharing skips re-serialising it per cell. */
export const kindStyles: Record<ExportValueKind, Partial<Style>> = {
  text: {},
  list: {},
  integer: { numFmt: '0' },
  money: { numFmt: '#,##0.00' },
  date: { numFmt: 'yyyy-mm-dd hh:mm' },
  boolean: {},
};

const fixedWidths: Partial<Record<ExportValueKind, number>> = { date: 16, boolean: 5 };

/**
 * Column widths in characters, from the labels and the first batch of rows: the file is
 * streamed, so later rows cannot widen a column already written. Capped so one long note does
 * not push every other column off screen.
 */
export function columnWidths(columns: readonly ExportColumn[], sample: readonly ExportRow[]): number[] {
  return columns.map((c, i) => {
    let longest = fixedWidths[c.kind] ?? 6;
    for (const row of sample) {
      const v = row[i];
      if (v === null || v === undefined) continue;
      const shown =
        c.kind === 'money'
          ? (toNumber(v) ?? 0).toLocaleString('en', { minimumFractionDigits: 2 })
          : toText(v);
      longest = Math.max(longest, shown?.length ?? 0);
    }
    return Math.min(Math.max(longest, c.label.length) + 2, 50);
  });
}
