import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClvFitReply, CustomerInsights } from '../../src/shared/analytics.js';
import type { Customer } from '../../src/shared/customers.js';
import { ApiClient } from './support/api.js';
import { expectAccessible } from './support/axe.js';
import { launchBrowser, setColorScheme, signIn } from './support/browser.js';
import { createOrder } from './support/seed-data.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * Customer analytics in Chromium: the dashboard (KPIs, cohorts, churn, the fitted model, product
 * affinity) in light and dark, and a profile's value, pattern and recommendation cards, all axe-clean.
 */
const run = Date.now().toString(36);
const day = 86_400_000;
const beans = {
  sku: `E2E-BEANS-${run}`,
  name: 'Coffee beans',
  category: 'coffee',
  quantity: 1,
  unit_price: 12,
};
const filters = {
  sku: `E2E-FILT-${run}`,
  name: 'Paper filters',
  category: 'coffee',
  quantity: 1,
  unit_price: 5,
};
const grinder = {
  sku: `E2E-GRND-${run}`,
  name: 'Burr grinder',
  category: 'equipment',
  quantity: 1,
  unit_price: 80,
};
const mug = {
  sku: `E2E-MUG-${run}`,
  name: 'Stoneware mug',
  category: 'kitchen',
  quantity: 1,
  unit_price: 15,
};

let server: RunningServer;
let api: ApiClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let regular: Customer;

const placed = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();

beforeAll(async () => {
  server = await startServer();
  api = new ApiClient(server.baseUrl);
  await api.login(server.adminEmail, server.adminPassword);
  regular = await api.post<Customer>('/crm/customers', {
    first_name: 'Rosa',
    last_name: `Regular ${run}`,
    email: `rosa.${run}@example.com`,
  });
  for (const d of [120, 90, 60, 30, 5]) await createOrder(api, regular.id, [beans, filters], placed(d));
  // buyers over the last fourteen months, so the model has a holdout to be checked against
  for (let i = 0; i < 14; i += 1) {
    const c = await api.post<Customer>('/crm/customers', {
      first_name: `Buyer ${i}`,
      last_name: `Analytics ${run}`,
      email: `buyer${i}.${run}@example.com`,
    });
    for (let k = 0; k <= i % 4; k += 1) {
      const basket = k % 2 === 0 ? [beans, filters] : i % 3 === 0 ? [grinder, beans] : [mug];
      await createOrder(api, c.id, basket, placed(430 - i * 28 - k * (20 + i)));
    }
  }
  const fit = await api.post<ClvFitReply>('/crm/analytics/clv/fit', {});
  expect(fit.status).toBe('fitted');
  await api.post('/crm/analytics/products/affinity/recompute', {});

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPage(scheme: 'light' | 'dark') {
  await context?.close();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  await setColorScheme(page, scheme);
  page.setDefaultTimeout(15_000);
  await signIn(page, server.baseUrl, server.adminEmail, server.adminPassword);
}

describe('customer analytics in Chromium', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`shows the dashboard with every section filled (${scheme}, passes axe)`, async () => {
      await openPage(scheme);
      await page.goto(`${server.baseUrl}/customers`);
      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Analytics' })
        .click();
      await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
      await page.getByRole('article', { name: 'Revenue' }).waitFor();
      await page.getByRole('img', { name: /^Revenue per day\./ }).waitFor();
      await page.getByRole('table', { name: 'Retention by acquisition cohort' }).waitFor();
      await page.getByRole('table', { name: 'Customers to win back' }).waitFor();
      await page.getByRole('table', { name: 'BG/NBD parameters' }).waitFor();
      await page.getByRole('img', { name: /Predicted against actual holdout purchases/ }).waitFor();
      // the recompute job runs on the server's workers: the table appears once it has run
      await expect
        .poll(
          async () => {
            if (await page.getByRole('table', { name: 'Products bought together' }).count()) return true;
            await page.reload();
            await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
            return false;
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toBe(true);
      const lift = page.getByRole('table', { name: 'Products bought together' }).locator('tbody tr').first();
      expect(await lift.textContent()).toContain('Coffee beans');
      await expectAccessible(page, `analytics dashboard (${scheme})`);
    });
  }

  it('shows the value, order patterns and recommendations on a profile (passes axe)', async () => {
    await openPage('light');
    const insights = await api.get<CustomerInsights>(`/crm/customers/${regular.id}/insights`);
    expect(insights.prediction).not.toBeNull();
    await page.goto(`${server.baseUrl}/customers/${regular.id}`);
    const value = page.locator('section[aria-labelledby="customer-value-title"]');
    await value.getByTestId('predicted-value').waitFor();
    const shown = await value.getByTestId('predicted-value').textContent();
    expect(shown).toBe(
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(
        insights.prediction!.predicted_value_12m,
      ),
    );
    await value.getByRole('list', { name: 'Reasons' }).waitFor();
    const patterns = page.locator('section[aria-labelledby="order-patterns-title"]');
    await expect.poll(() => patterns.getByTestId('average-days').textContent()).toBe('28.8 days');
    await patterns.getByRole('img', { name: /^By weekday:/ }).waitFor();
    const recommendations = page.locator('section[aria-labelledby="recommendations-title"]');
    await recommendations.getByRole('list', { name: 'Recommended products' }).waitFor();
    await expectAccessible(page, 'customer profile with analytics cards');
  });
});
