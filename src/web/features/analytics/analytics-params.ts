import dayjs from 'dayjs';
import type { AffinityParams } from './api/analytics-keys.js';

/** The dashboard's state in the URL: `?days=` or `?from=&to=`, `&months=`, `&sort=&min_support=&product=`. */
export const periodPresets = [7, 30, 90, 365] as const;
export const monthChoices = [6, 12, 24] as const;
export const affinitySorts = ['lift', 'confidence', 'support'] as const;
/** Minimum support choices for the affinity table (share of orders holding both products). */
export const minSupportChoices = [0, 0.001, 0.005, 0.01, 0.05] as const;
export type AffinitySort = AffinityParams['sort'];

const defaults = { days: 30, months: 12, sort: 'lift' } as const;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;

export interface AnalyticsParams {
  /** A preset period of the last `days` days, today included; null when `from`/`to` are chosen. */
  days: number | null;
  from: string;
  to: string;
  months: number;
  sort: AffinitySort;
  minSupport: number;
  product: string | null;
}

const today = () => dayjs().format('YYYY-MM-DD');

export function lastDays(days: number): { from: string; to: string } {
  return {
    from: dayjs()
      .subtract(days - 1, 'day')
      .format('YYYY-MM-DD'),
    to: today(),
  };
}

export function parseAnalyticsParams(search: URLSearchParams): AnalyticsParams {
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const months = Number(search.get('months'));
  const sort = search.get('sort');
  const minSupport = Number(search.get('min_support'));
  const common = {
    months: (monthChoices as readonly number[]).includes(months) ? months : defaults.months,
    sort: (affinitySorts as readonly string[]).includes(sort ?? '') ? (sort as AffinitySort) : defaults.sort,
    minSupport: (minSupportChoices as readonly number[]).includes(minSupport) ? minSupport : 0,
    product: search.get('product') || null,
  };
  if (isoDay.test(from) && isoDay.test(to) && from <= to) return { days: null, from, to, ...common };
  const days = Number(search.get('days'));
  const preset = (periodPresets as readonly number[]).includes(days) ? days : defaults.days;
  return { days: preset, ...lastDays(preset), ...common };
}

/** Only what differs from the defaults goes in the URL. */
export function toAnalyticsSearchParams(p: AnalyticsParams): URLSearchParams {
  const search = new URLSearchParams();
  if (p.days === null) {
    search.set('from', p.from);
    search.set('to', p.to);
  } else if (p.days !== defaults.days) {
    search.set('days', String(p.days));
  }
  if (p.months !== defaults.months) search.set('months', String(p.months));
  if (p.sort !== defaults.sort) search.set('sort', p.sort);
  if (p.minSupport > 0) search.set('min_support', String(p.minSupport));
  if (p.product) search.set('product', p.product);
  return search;
}
