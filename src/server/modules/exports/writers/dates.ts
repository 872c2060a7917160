/**
 * Dates shown to people (spreadsheet cells, the PDF) read in the report's time zone. Formatters
 * are cached per zone because building an `Intl.DateTimeFormat` costs far more than using one.
 */
const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string) {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

const isUtc = (timeZone: string | undefined) => !timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC';

/**
 * The same wall-clock time expressed as a UTC instant. Spreadsheet dates carry no zone and
 * exceljs writes a Date's UTC fields, so this is how a cell shows 09:00 for 09:00 in Paris.
 */
export function wallClock(date: Date, timeZone: string | undefined): Date {
  if (isUtc(timeZone)) return date;
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone!).formatToParts(date)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return new Date(
    Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!, date.getUTCMilliseconds()),
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-01-31 09:00`: sortable and short enough for a table cell. */
export function formatDateTime(date: Date, timeZone: string | undefined): string {
  const d = wallClock(date, timeZone);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `31 January 2026 at 09:00 (UTC)`: how a report says when it was made. */
export function formatLongDateTime(date: Date, timeZone: string | undefined): string {
  const zone = timeZone ?? 'UTC';
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: zone });
  return `${when.format(date)} (${zone})`;
}
