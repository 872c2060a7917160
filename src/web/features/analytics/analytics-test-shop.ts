import type { Customer } from '../../../shared/customers.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import type { StaffHandle, TestApp } from '../../../../tests/helpers/test-app.js';

/**
 * A small shop for the analytics tests, built through the API: products often bought together,
 * regulars, one-off buyers and customers gone quiet, over the last 14 months.
 */
export const products = {
  beans: { sku: 'AN-BEANS', name: 'Coffee beans', category: 'coffee', unit_price: 12 },
  filters: { sku: 'AN-FILTER', name: 'Paper filters', category: 'coffee', unit_price: 5 },
  grinder: { sku: 'AN-GRIND', name: 'Burr grinder', category: 'equipment', unit_price: 80 },
  mug: { sku: 'AN-MUG', name: 'Stoneware mug', category: 'kitchen', unit_price: 15 },
  tea: { sku: 'AN-TEA', name: 'Green tea', category: 'tea', unit_price: 7 },
} as const;

type Product = (typeof products)[keyof typeof products];
const line = (p: Product, quantity = 1) => ({ ...p, quantity });

/** Noon UTC `days` days ago: whole days between orders, whatever the time zone. */
export function at(days: number): string {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  return new Date(d.getTime() - days * 86_400_000).toISOString();
}

export interface TestShop {
  /** Four orders 30 days apart, the last 10 days ago: beans and filters each time. */
  regular: Customer;
  /** Never ordered. */
  lead: Customer;
  everyone: Customer[];
}

export async function buildTestShop(t: TestApp, admin: StaffHandle): Promise<TestShop> {
  const order = (c: Customer, days: number, items: ReturnType<typeof line>[]) =>
    makeOrder(t, admin, c.id, { placed_at: at(days), items });

  const regular = await makeCustomer(t, admin, { first_name: 'Paula', last_name: 'Pattern' });
  for (const d of [100, 70, 40, 10])
    await order(regular, d, [line(products.beans, 2), line(products.filters)]);
  const lead = await makeCustomer(t, admin, { first_name: 'Nina', last_name: 'Noorders' });

  const everyone = [regular, lead];
  // Twelve more buyers with different rhythms; every other one buys beans with filters.
  for (let i = 0; i < 12; i += 1) {
    const c = await makeCustomer(t, admin, { first_name: `Buyer${i}`, last_name: 'Shop' });
    everyone.push(c);
    const first = 420 - i * 30;
    const gap = 15 + (i % 4) * 20;
    const count = 1 + (i % 5);
    for (let k = 0; k < count; k += 1) {
      const day = first - k * gap;
      if (day < 1) break;
      const basket =
        k % 2 === 0
          ? [line(products.beans), line(products.filters)]
          : i % 3 === 0
            ? [line(products.grinder), line(products.beans)]
            : [line(products.mug), line(products.tea, 2)];
      await order(c, day, basket);
    }
  }
  // One big spender gone quiet: worth winning back.
  const quiet = await makeCustomer(t, admin, { first_name: 'Quentin', last_name: 'Quiet' });
  everyone.push(quiet);
  for (const d of [400, 380, 360, 340])
    await order(quiet, d, [line(products.grinder, 3), line(products.mug, 2)]);
  return { regular, lead, everyone };
}
