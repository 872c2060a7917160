import type { CustomerInsights } from '../../../shared/analytics.js';

type SpendTrend = CustomerInsights['spend_trend'];

/** Orders needed before a spend trend is called: two in each half. */
export const spendTrendMinOrders = 4;
/** A change in average order value within ±10% of the earlier half is "steady". */
export const spendTrendThresholdPct = 10;

/**
 * The spend trend: average order value of the later half of the kept orders against the earlier
 * half (with an odd count the middle order is in neither). Unknown below four orders, where one
 * order would decide it. The direction is read from the change as shown (rounded to 0.1%).
 */
export function spendTrendOf(orders: number, recent: number | null, earlier: number | null): SpendTrend {
  if (orders < spendTrendMinOrders || recent === null || earlier === null) {
    return { direction: 'unknown', recent_average: null, earlier_average: null, change_pct: null };
  }
  const recentAverage = round(recent, 2);
  const earlierAverage = round(earlier, 2);
  // every earlier order was free: no percentage, but any spend now is a rise
  const changePct = earlier > 0 ? round(((recent - earlier) / earlier) * 100, 1) : null;
  const direction =
    changePct === null
      ? recent > 0
        ? 'rising'
        : 'steady'
      : changePct >= spendTrendThresholdPct
        ? 'rising'
        : changePct <= -spendTrendThresholdPct
          ? 'falling'
          : 'steady';
  return { direction, recent_average: recentAverage, earlier_average: earlierAverage, change_pct: changePct };
}

/** What the reasons are written from: the customer's order history and their model numbers. */
export interface ReasonFacts {
  /** Kept orders, and the distinct days they fall on (the model's transactions). */
  orders: number;
  orderDays: number;
  /** Whole days from the last order day to today (UTC). */
  daysSinceLastOrder: number;
  medianDaysBetweenOrders: number | null;
  spendTrend: SpendTrend;
  /** Model summary: repeat transactions and weeks from first transaction to observation end. */
  frequency: number;
  ageWeeks: number;
  /** The model's mean purchase rate per week across customers (BG/NBD r / alpha); null if unknown. */
  populationWeeklyRate: number | null;
  expectedPurchases365d: number;
  expectedOrderValue: number | null;
  predictedValue12m: number;
}

/** Past their usual interval by this factor, recency is stated as a multiple ("about 3×"). */
export const overdueFactor = 1.5;

/**
 * Plain-English reasons for a customer's churn risk and predicted value, most telling first:
 * recency against their usual interval, how often they order, their spend trend, what the model
 * expects of them.
 *
 * "More often than most customers" compares the customer's repeat purchases per week of their
 * life (frequency / age) with the model's mean rate r / alpha. That is the same as their posterior
 * mean rate (r + x) / (alpha + T) being above the population mean, and since the mean of a gamma
 * distribution lies above its median, above the mean means above most customers.
 */
export function predictionReasons(f: ReasonFacts): string[] {
  const reasons: string[] = [];
  const ago = `Last ordered ${daysAgo(f.daysSinceLastOrder)}`;
  const usual =
    f.medianDaysBetweenOrders === null ? null : Math.max(1, Math.round(f.medianDaysBetweenOrders));
  if (f.orders === 0) {
    // the model scored them, but every order has since been cancelled or refunded
    reasons.push('Has no paid orders left, so the prediction rests on orders since cancelled or refunded');
  } else if (usual === null) {
    reasons.push(ago);
  } else {
    const ratio = f.daysSinceLastOrder / usual;
    const between = `their usual ${plural(usual, 'day')} between orders`;
    if (ratio <= 1) reasons.push(`${ago}, within ${between}`);
    else if (ratio < overdueFactor) reasons.push(`${ago}, a little past ${between}`);
    else reasons.push(`${ago}, about ${times(ratio)}× ${between}`);
  }

  if (f.orders > 0) {
    if (f.orderDays === 1) {
      reasons.push(
        f.orders === 1
          ? 'Has ordered only once, so there is little to go on'
          : `Has ordered ${f.orders} times but all on one day, so there is little to go on`,
      );
    } else if (f.populationWeeklyRate === null || f.ageWeeks <= 0) {
      reasons.push(`Has ordered ${f.orders} times`);
    } else if (f.frequency / f.ageWeeks >= f.populationWeeklyRate) {
      reasons.push(`Has ordered ${f.orders} times, more often than most customers`);
    } else {
      reasons.push(`Has ordered ${f.orders} times, less often than the average customer`);
    }
  }

  const trend = f.spendTrend;
  if (trend.direction === 'rising' || trend.direction === 'falling') {
    const more = trend.direction === 'rising' ? 'more' : 'less';
    reasons.push(
      trend.change_pct === null
        ? `Spends ${more} per order lately`
        : `Spends ${Math.round(Math.abs(trend.change_pct))}% ${more} per order lately`,
    );
  } else if (trend.direction === 'steady') {
    reasons.push('Spends about the same per order as before');
  }

  const purchases = round(f.expectedPurchases365d, 1);
  if (purchases === 0) {
    reasons.push('Not expected to order in the next 12 months');
  } else {
    const expected = `Expected to order about ${purchases === 1 ? 'once' : `${purchases} times`} in the next 12 months`;
    reasons.push(
      f.expectedOrderValue === null
        ? expected
        : `${expected}, worth about ${money(f.predictedValue12m)} at ${money(f.expectedOrderValue)} an order`,
    );
  }
  return reasons;
}

function round(n: number, places: number): number {
  const k = 10 ** places;
  return Math.round(n * k) / k;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function daysAgo(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${plural(days, 'day')} ago`;
}

/** 3 → "3", 3.16 → "3.2", 12.6 → "13": one decimal only while it matters. */
function times(ratio: number): string {
  return ratio >= 10 ? Math.round(ratio).toLocaleString('en-US') : String(round(ratio, 1));
}

/** Amounts without a currency sign: orders may be in several currencies. */
function money(n: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
