import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';

dayjs.extend(relativeTime);

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const integer = new Intl.NumberFormat('en-US');

/** Money in the given currency (USD by default), e.g. "$1,234.50". */
export function formatMoney(value: number | null | undefined, currency = 'USD'): string {
  if (value === null || value === undefined) return '—';
  if (currency === 'USD') return usd.format(value);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatDate(value: string | null | undefined): string {
  return value ? dayjs(value).format('D MMM YYYY') : '—';
}

export function formatDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('D MMM YYYY, HH:mm') : '—';
}

export function formatRelative(value: string | null | undefined): string {
  return value ? dayjs(value).fromNow() : '—';
}

/** Turns "at_risk" into "At risk". */
export function humanize(value: string): string {
  const text = value.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface PersonName {
  first_name: string | null;
  last_name: string | null;
  email?: string | null;
  company?: string | null;
}

export function displayName(person: PersonName): string {
  const name = [person.first_name, person.last_name].filter(Boolean).join(' ').trim();
  return name || person.company || person.email || 'Unnamed customer';
}
