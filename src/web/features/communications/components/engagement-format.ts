import type { Engagement } from '../../../../shared/communications.js';

const percentFormat = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** A 0..1 rate as "12.5%". */
export function formatRate(rate: number): string {
  return percentFormat.format(Number.isFinite(rate) ? rate : 0);
}

type Rates = Pick<Engagement, 'sent' | 'open_rate' | 'click_rate' | 'reply_rate'>;

/**
 * One row for several (a template's versions): counts add up, rates are averaged weighted by
 * emails sent, which matches the server's own rate whenever delivered and sent agree.
 */
export function combineEngagement<T extends Rates>(rows: T[]): Rates {
  const sent = rows.reduce((n, r) => n + r.sent, 0);
  const weighted = (pick: (r: T) => number) =>
    sent === 0 ? 0 : rows.reduce((n, r) => n + pick(r) * r.sent, 0) / sent;
  return {
    sent,
    open_rate: weighted((r) => r.open_rate),
    click_rate: weighted((r) => r.click_rate),
    reply_rate: weighted((r) => r.reply_rate),
  };
}
