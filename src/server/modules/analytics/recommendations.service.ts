import type { Recommendations } from '../../../shared/analytics.js';
import type { AppDeps } from '../../platform/deps.js';
import { assertCustomerExists } from '../customers/customers.service.js';
import { findLatestRun } from './affinity.queries.js';
import { ensureAffinity } from './affinity.service.js';
import {
  type BoughtRow,
  type CandidateRow,
  findBoughtProducts,
  findCrossSells,
  findPopular,
  findUpsells,
} from './recommendations.queries.js';

/** At most this many recommendations: cross-sells first, then upsells, then popular products. */
export const RECOMMENDATIONS_LIMIT = 10;
const CROSS_SELL_MAX = 6;
/** Upsell looks at the customer's top categories by spend, a couple of products in each. */
const UPSELL_CATEGORIES = 2;
const UPSELL_PER_CATEGORY = 2;

type Recommendation = Recommendations['data'][number];

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

function item(
  row: CandidateRow,
  kind: Recommendation['kind'],
  score: number,
  reason: string,
): Recommendation {
  return {
    product_id: row.product_id,
    sku: row.sku,
    name: row.name,
    category: row.category,
    price: Number(row.price),
    kind,
    score: round4(score),
    reason,
  };
}

/** The customer's categories by their spend in kept orders, with the average unit price paid. */
function categoriesBySpend(rows: BoughtRow[]) {
  const byCategory = new Map<string, { spend: number; units: number }>();
  for (const r of rows) {
    if (!r.kept || r.category === null) continue;
    const c = byCategory.get(r.category) ?? { spend: 0, units: 0 };
    c.spend += Number(r.spend ?? 0);
    c.units += Number(r.units ?? 0);
    byCategory.set(r.category, c);
  }
  return [...byCategory.entries()]
    .filter(([, c]) => c.units > 0)
    .sort((a, b) => b[1].spend - a[1].spend || a[0].localeCompare(b[0]))
    .map(([category, c]) => ({ category, averagePrice: Math.round((c.spend / c.units) * 100) / 100 }));
}

/**
 * What to offer a customer next, never something in any of their orders:
 * - cross_sell: the affinity rules (lift above 1) from what they bought in kept orders; score is
 *   the rule's confidence (share of orders with their product that also hold this one);
 * - upsell: in their top categories by spend, products priced above the average unit price they
 *   pay there, most ordered first; score is the product's share of the category's product orders;
 * - popular: the shop's most ordered products fill the list (customers with little history get
 *   mostly these); score is support (share of all orders holding it).
 */
export async function customerRecommendations(deps: AppDeps, customerId: string): Promise<Recommendations> {
  await assertCustomerExists(deps.db, customerId);
  await ensureAffinity(deps.db);
  return deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const boughtRows = await findBoughtProducts(trx, customerId);
      const bought = boughtRows.map((r) => r.product_id);
      const kept = boughtRows.filter((r) => r.kept).map((r) => r.product_id);
      const categories = categoriesBySpend(boughtRows).slice(0, UPSELL_CATEGORIES);

      const data: Recommendation[] = [];
      const taken = new Set<string>();
      const add = (r: Recommendation) => {
        if (taken.has(r.product_id) || data.length >= RECOMMENDATIONS_LIMIT) return;
        taken.add(r.product_id);
        data.push(r);
      };

      for (const r of await findCrossSells(trx, kept, bought, CROSS_SELL_MAX)) {
        add(
          item(
            r,
            'cross_sell',
            r.confidence,
            `Often bought with ${r.because_name} (lift ${r.lift.toFixed(1)})`,
          ),
        );
      }

      const upsells = await findUpsells(trx, categories, bought, UPSELL_PER_CATEGORY);
      categories.forEach(({ category }, i) => {
        const where = i === 0 ? 'where they spend most' : 'which they also buy';
        for (const r of upsells.filter((u) => u.category === category)) {
          const share = Number(r.category_orders ?? 0) > 0 ? r.orders / Number(r.category_orders) : 0;
          add(item(r, 'upsell', share, `Higher-priced pick in ${category}, ${where}`));
        }
      });

      const run = await findLatestRun(trx);
      if (run && run.orders > 0 && data.length < RECOMMENDATIONS_LIMIT) {
        for (const r of await findPopular(trx, bought, RECOMMENDATIONS_LIMIT + data.length)) {
          const share = r.orders / run.orders;
          add(item(r, 'popular', share, `Popular with other customers: in ${percent(share)} of orders`));
        }
      }
      return { customer_id: customerId, data };
    });
}
