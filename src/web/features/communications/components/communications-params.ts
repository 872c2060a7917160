import dayjs from 'dayjs';
import type { AnalyticsQuery } from '../../../../shared/communications.js';

/** The communications page's state in the URL: `?tab=&days=&interval=&archived=1`. */
export const communicationTabs = ['overview', 'campaigns', 'templates'] as const;
export type CommunicationTab = (typeof communicationTabs)[number];

export const analyticsPeriods = [7, 30, 90] as const;
export const analyticsIntervals = ['day', 'week', 'month'] as const;
export type AnalyticsInterval = (typeof analyticsIntervals)[number];

const defaults = { tab: 'overview', days: 30, interval: 'day' } as const;

export interface CommunicationParams {
  tab: CommunicationTab;
  days: number;
  interval: AnalyticsInterval;
  archived: boolean;
}

export function parseCommunicationParams(params: URLSearchParams): CommunicationParams {
  const tab = params.get('tab');
  const days = Number(params.get('days'));
  const interval = params.get('interval');
  return {
    tab: (communicationTabs as readonly string[]).includes(tab ?? '')
      ? (tab as CommunicationTab)
      : defaults.tab,
    days: (analyticsPeriods as readonly number[]).includes(days) ? days : defaults.days,
    interval: (analyticsIntervals as readonly string[]).includes(interval ?? '')
      ? (interval as AnalyticsInterval)
      : defaults.interval,
    archived: params.get('archived') === '1',
  };
}

/** Only what differs from the defaults goes in the URL. */
export function toCommunicationSearchParams(p: CommunicationParams): URLSearchParams {
  const search = new URLSearchParams();
  if (p.tab !== defaults.tab) search.set('tab', p.tab);
  if (p.days !== defaults.days) search.set('days', String(p.days));
  if (p.interval !== defaults.interval) search.set('interval', p.interval);
  if (p.archived) search.set('archived', '1');
  return search;
}

/**
 * The last `days` days, today included, from local midnight: the same `from` all day long, so the
 * query (and its cache) stays put while the page is open.
 */
export function analyticsQuery(days: number, interval: AnalyticsInterval): AnalyticsQuery {
  return {
    from: dayjs()
      .subtract(days - 1, 'day')
      .startOf('day')
      .toISOString(),
    interval,
  };
}
