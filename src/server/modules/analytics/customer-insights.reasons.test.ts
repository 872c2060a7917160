import { describe, expect, it } from 'vitest';
import { type ReasonFacts, predictionReasons, spendTrendOf } from './customer-insights.reasons.js';

const steady = spendTrendOf(6, 50, 50);
const unknown = spendTrendOf(2, null, null);

/** A regular customer: 7 orders on 7 days, usually 45 days apart, model mean rate 0.055 a week. */
function facts(over: Partial<ReasonFacts> = {}): ReasonFacts {
  return {
    orders: 7,
    orderDays: 7,
    daysSinceLastOrder: 30,
    medianDaysBetweenOrders: 45,
    spendTrend: steady,
    frequency: 6,
    ageWeeks: 40,
    populationWeeklyRate: 0.243 / 4.414,
    expectedPurchases365d: 4.26,
    expectedOrderValue: 52.5,
    predictedValue12m: 1223.456,
    ...over,
  };
}

describe('spend trend', () => {
  it('is unknown below four orders, whatever the averages', () => {
    expect(spendTrendOf(3, 100, 10)).toEqual({
      direction: 'unknown',
      recent_average: null,
      earlier_average: null,
      change_pct: null,
    });
  });

  it('rises at +10% or more, falls at -10% or less, and is steady between', () => {
    expect(spendTrendOf(4, 110, 100)).toMatchObject({ direction: 'rising', change_pct: 10 });
    expect(spendTrendOf(4, 109.94, 100)).toMatchObject({ direction: 'steady', change_pct: 9.9 });
    expect(spendTrendOf(4, 90, 100)).toMatchObject({ direction: 'falling', change_pct: -10 });
    expect(spendTrendOf(4, 90.06, 100)).toMatchObject({ direction: 'steady', change_pct: -9.9 });
    expect(spendTrendOf(4, 100, 100)).toMatchObject({ direction: 'steady', change_pct: 0 });
  });

  it('reads the direction from the change as shown, rounded to 0.1%', () => {
    // +9.96% shows as 10.0%: called rising, so the number and the word agree
    expect(spendTrendOf(4, 109.96, 100)).toMatchObject({ direction: 'rising', change_pct: 10 });
  });

  it('rounds the averages to cents', () => {
    expect(spendTrendOf(6, 115 / 3, 20)).toEqual({
      direction: 'rising',
      recent_average: 38.33,
      earlier_average: 20,
      change_pct: 91.7,
    });
  });

  it('calls any spend after free orders a rise, with no percentage', () => {
    expect(spendTrendOf(4, 10, 0)).toEqual({
      direction: 'rising',
      recent_average: 10,
      earlier_average: 0,
      change_pct: null,
    });
    expect(spendTrendOf(4, 0, 0)).toMatchObject({ direction: 'steady', change_pct: null });
  });
});

describe('prediction reasons', () => {
  it('explains a lapsed regular: recency as a multiple of their usual interval', () => {
    expect(predictionReasons(facts({ daysSinceLastOrder: 142 }))).toEqual([
      'Last ordered 142 days ago, about 3.2× their usual 45 days between orders',
      'Has ordered 7 times, more often than most customers',
      'Spends about the same per order as before',
      'Expected to order about 4.3 times in the next 12 months, worth about 1,223.46 at 52.50 an order',
    ]);
  });

  it('words recency by how far past their usual interval they are', () => {
    const first = (days: number, median = 45) =>
      predictionReasons(facts({ daysSinceLastOrder: days, medianDaysBetweenOrders: median }))[0];
    expect(first(45)).toBe('Last ordered 45 days ago, within their usual 45 days between orders');
    expect(first(46)).toBe('Last ordered 46 days ago, a little past their usual 45 days between orders');
    expect(first(67)).toBe('Last ordered 67 days ago, a little past their usual 45 days between orders');
    // 1.5× is where it becomes a multiple
    expect(first(68)).toBe('Last ordered 68 days ago, about 1.5× their usual 45 days between orders');
    expect(first(135)).toBe('Last ordered 135 days ago, about 3× their usual 45 days between orders');
    // from ten times on, whole numbers
    expect(first(1234, 10)).toBe(
      'Last ordered 1,234 days ago, about 123× their usual 10 days between orders',
    );
    expect(first(0)).toBe('Last ordered today, within their usual 45 days between orders');
    expect(first(1)).toBe('Last ordered yesterday, within their usual 45 days between orders');
    // a median of 22.5 days is "usually 23"; one day apart is "1 day"
    expect(first(10, 22.5)).toBe('Last ordered 10 days ago, within their usual 23 days between orders');
    expect(first(3, 1)).toBe('Last ordered 3 days ago, about 3× their usual 1 day between orders');
  });

  it('has little to go on after one order', () => {
    const once = predictionReasons(
      facts({ orders: 1, orderDays: 1, medianDaysBetweenOrders: null, frequency: 0, spendTrend: unknown }),
    );
    expect(once).toEqual([
      'Last ordered 30 days ago',
      'Has ordered only once, so there is little to go on',
      'Expected to order about 4.3 times in the next 12 months, worth about 1,223.46 at 52.50 an order',
    ]);
    const oneDay = predictionReasons(facts({ orders: 3, orderDays: 1, medianDaysBetweenOrders: null }));
    expect(oneDay[1]).toBe('Has ordered 3 times but all on one day, so there is little to go on');
  });

  it('compares how often they order with the model’s mean rate', () => {
    const second = (over: Partial<ReasonFacts>) => predictionReasons(facts(over))[1];
    // 0.243 / 4.414 = 0.0551 a week: 2.2 repeat purchases in 40 weeks is the line
    expect(second({ frequency: 3, ageWeeks: 40 })).toBe(
      'Has ordered 7 times, more often than most customers',
    );
    expect(second({ frequency: 2, ageWeeks: 40 })).toBe(
      'Has ordered 7 times, less often than the average customer',
    );
    // one repeat purchase: above the mean up to 18.16 weeks
    expect(second({ frequency: 1, ageWeeks: 18 })).toBe(
      'Has ordered 7 times, more often than most customers',
    );
    expect(second({ frequency: 1, ageWeeks: 18.2 })).toBe(
      'Has ordered 7 times, less often than the average customer',
    );
    expect(second({ populationWeeklyRate: null })).toBe('Has ordered 7 times');
    expect(second({ ageWeeks: 0 })).toBe('Has ordered 7 times');
  });

  it('states a rising or falling spend in whole percent, and leaves an unknown trend out', () => {
    const third = (trend: ReturnType<typeof spendTrendOf>) =>
      predictionReasons(facts({ spendTrend: trend }))[2];
    expect(third(spendTrendOf(4, 120, 100))).toBe('Spends 20% more per order lately');
    expect(third(spendTrendOf(4, 66.6, 100))).toBe('Spends 33% less per order lately');
    expect(third(spendTrendOf(4, 10, 0))).toBe('Spends more per order lately');
    expect(predictionReasons(facts({ spendTrend: unknown }))).toHaveLength(3);
  });

  it('states the expected orders, and their worth only with a spend model', () => {
    const last = (over: Partial<ReasonFacts>) => predictionReasons(facts(over)).at(-1);
    expect(last({ expectedOrderValue: null })).toBe(
      'Expected to order about 4.3 times in the next 12 months',
    );
    expect(last({ expectedPurchases365d: 0.96, expectedOrderValue: null })).toBe(
      'Expected to order about once in the next 12 months',
    );
    expect(last({ expectedPurchases365d: 0.04 })).toBe('Not expected to order in the next 12 months');
  });

  it('says so when every order behind the prediction has since been cancelled', () => {
    expect(
      predictionReasons(
        facts({ orders: 0, orderDays: 0, medianDaysBetweenOrders: null, spendTrend: unknown }),
      ),
    ).toEqual([
      'Has no paid orders left, so the prediction rests on orders since cancelled or refunded',
      'Expected to order about 4.3 times in the next 12 months, worth about 1,223.46 at 52.50 an order',
    ]);
  });
});
