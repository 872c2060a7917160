import dayjs from 'dayjs';

const percent1 = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const percent0 = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

const percentSmall = new Intl.NumberFormat('en-US', { style: 'percent', maximumSignificantDigits: 2 });

/**
 * A share (0..1) as a percentage: "34.5%"; below 1% to two significant digits ("0.037%") rather
 * than "0%", and below 0.01% as "<0.01%".
 */
export function formatShare(share: number | null | undefined, digits: 0 | 1 = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  if (share > 0 && share < 0.0001) return '<0.01%';
  if (share > 0 && share < 0.01) return percentSmall.format(share);
  return (digits === 0 ? percent0 : percent1).format(share);
}

/** A change already in percent (12.5 means +12.5%): "+12.5%", "−3%". */
export function formatChangePct(pct: number): string {
  const rounded = Math.round(pct * 10) / 10;
  if (rounded === 0) return '0%';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toLocaleString('en-US')}%`;
}

/** A small count or rate with at most two decimals: "0.83". */
export function formatDecimal(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return decimal.format(value);
}

/** A fitted model parameter: four significant decimals, as papers print them. */
export function formatParameter(value: number): string {
  return value.toFixed(Math.abs(value) >= 100 ? 2 : 4);
}

/** Days as words: "1 day", "12.5 days". */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  const rounded = Math.round(days * 10) / 10;
  return `${rounded.toLocaleString('en-US')} ${rounded === 1 ? 'day' : 'days'}`;
}

/** "2024-03" as "Mar 2024". */
export function formatMonth(month: string): string {
  const d = dayjs(`${month}-01`);
  return d.isValid() ? d.format('MMM YYYY') : month;
}

export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
