import type { RfmGroup } from '../../../../shared/rfm.js';

/** What each named RFM group means, in a line. */
export const rfmGroupHints: Record<RfmGroup, string> = {
  champions: 'Bought recently, buy often and spend the most',
  loyal: 'Buy often and spend well',
  potential_loyalists: 'Recent customers with more than one order',
  new: 'Bought recently, for the first time',
  promising: 'Recent shoppers who have not spent much yet',
  need_attention: 'Above average, but not lately',
  about_to_sleep: 'Below average and slipping away',
  at_risk: 'Bought often and well, but long ago',
  cannot_lose: 'Were among the best, and have not come back',
  hibernating: 'Few, small orders, long ago',
  lost: 'The lowest scores on every count',
};

/** The customer list filtered to one RFM group (the list's `query` takes the criteria text form). */
export function rfmGroupListUrl(group: RfmGroup): string {
  return `/customers?${new URLSearchParams({ query: `rfm_group = "${group}"` }).toString()}`;
}

/** The customer list filtered to one cell of the recency × frequency grid. */
export function rfmCellListUrl(recency: number, frequency: number): string {
  return `/customers?${new URLSearchParams({ query: `rfm_recency = ${recency} AND rfm_frequency = ${frequency}` }).toString()}`;
}
