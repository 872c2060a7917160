import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/shared/customers.js';
import type { Segment, SegmentList } from '../../src/shared/segments.js';
import { ApiClient } from './support/api.js';
import { expectAccessible } from './support/axe.js';
import { launchBrowser, signIn } from './support/browser.js';
import { createOrder } from './support/seed-data.js';
import { type RunningServer, startServer } from './support/server.js';

/** Segments, bulk actions and the lifecycle & RFM screen, in Chromium against `npm start`'s server. */
const run = Date.now().toString(36);
const company = `Segmenta ${run}`;

let server: RunningServer;
let api: ApiClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const people: Customer[] = [];

beforeAll(async () => {
  server = await startServer();
  api = new ApiClient(server.baseUrl);
  await api.login(server.adminEmail, server.adminPassword);
  for (const [first, last] of [
    ['Ines', 'Ortega'],
    ['Jonas', 'Berg'],
    ['Keiko', 'Sato'],
  ] as const) {
    people.push(
      await api.post<Customer>('/crm/customers', {
        first_name: first,
        last_name: last,
        company,
        email: `${first.toLowerCase()}.${run}@example.com`,
      }),
    );
  }
  await createOrder(api, people[0]!.id, [
    { sku: `SEG-${run}`, name: 'Pour-over kettle', category: 'coffee', quantity: 1, unit_price: 60 },
  ]);

  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.baseUrl, server.adminEmail, server.adminPassword);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('segments in Chromium', () => {
  it('builds an automatic segment in text mode with a live count, then shows its page (both pass axe)', async () => {
    await page.goto(`${server.baseUrl}/segments/new`);
    await page.getByLabel('Name').fill(`Buyers at ${run}`);
    await page.getByLabel('Automatic membership').check();
    await page.getByText('Text', { exact: true }).click();
    await page.getByLabel('Criteria as text').fill(`company = "${company}" AND total_orders >= 1`);
    const count = page.getByTestId('criteria-preview-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');
    await expectAccessible(page, 'segment editor');
    await page.getByRole('button', { name: 'Create segment' }).click();

    await page.getByRole('heading', { level: 1, name: `Buyers at ${run}` }).waitFor();
    await page.getByText('1 customer', { exact: true }).first().waitFor();
    await expectAccessible(page, 'segment page');
    const { data } = await api.get<SegmentList>('/crm/segments');
    const saved = data.find((s) => s.name === `Buyers at ${run}`);
    expect(saved).toMatchObject({ auto_update: true, customer_count: 1 });
  });

  it('follows an order placed elsewhere: the open segment page shows the new member without a reload', async () => {
    const { data } = await api.get<SegmentList>('/crm/segments');
    const segment = data.find((s) => s.name === `Buyers at ${run}`) as Segment;
    await page.goto(`${server.baseUrl}/segments/${segment.id}`);
    await page.getByText('1 customer', { exact: true }).first().waitFor();
    await createOrder(api, people[1]!.id, [
      { sku: `SEG-${run}`, name: 'Pour-over kettle', category: 'coffee', quantity: 1, unit_price: 60 },
    ]);
    // the server re-evaluates within a second; the page polls an automatic segment every 5 s
    await page.getByText('2 customers', { exact: true }).first().waitFor({ timeout: 10_000 });
    const stored = await api.get<Segment>(`/crm/segments/${segment.id}`);
    expect(stored.customer_count).toBe(2);
  });

  it('tags customers picked in the list with a bulk action', async () => {
    await page.goto(`${server.baseUrl}/customers?q=${encodeURIComponent(company)}`);
    const table = page.getByRole('table', { name: /customers/i });
    await table.getByRole('checkbox', { name: 'Select Ines Ortega' }).check();
    await table.getByRole('checkbox', { name: 'Select Keiko Sato' }).check();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Add tags' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add tags' });
    await dialog.getByRole('combobox', { name: 'Tags' }).fill(`Picked ${run}`);
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expectAccessible(page, 'bulk action confirmation');
    await dialog.getByRole('button', { name: 'Apply to 2 customers' }).click();
    await page.getByText('2 customers changed').waitFor();
    const tagged = await Promise.all(people.map((p) => api.get<Customer>(`/crm/customers/${p.id}`)));
    expect(tagged.map((c) => c.tags.map((t) => t.name))).toEqual([[`Picked ${run}`], [], [`Picked ${run}`]]);
  });

  it('shows the lifecycle and RFM screen (passes axe)', async () => {
    await page.goto(`${server.baseUrl}/insights`);
    await page
      .getByRole('heading', { name: /lifecycle/i })
      .first()
      .waitFor();
    await page.getByRole('heading', { name: /RFM/ }).first().waitFor();
    await expectAccessible(page, 'lifecycle and RFM');
  });
});
