import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/shared/customers.js';
import { ApiClient } from './support/api.js';
import { expectAccessible } from './support/axe.js';
import { launchBrowser, signIn } from './support/browser.js';
import { createOrder } from './support/seed-data.js';
import { type RunningServer, startServer } from './support/server.js';

// Unique per run, so the suite also passes against a reused PostgreSQL database (E2E_DATABASE_URL).
const run = Date.now().toString(36);
const email = (name: string) => `${name}.${run}@example.com`;

let server: RunningServer;
let api: ApiClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let zoe: Customer;
const viewer = { email: email('viewer'), password: 'viewer-password-1' };

async function createCustomer(body: Record<string, unknown>): Promise<Customer> {
  return api.post<Customer>('/crm/customers', body);
}

function row(name: string | RegExp) {
  return page.getByRole('row', { name });
}

beforeAll(async () => {
  server = await startServer();
  api = new ApiClient(server.baseUrl);
  await api.login(server.adminEmail, server.adminPassword);

  zoe = await createCustomer({
    first_name: 'Zoë',
    last_name: 'Ångström',
    company: `Nordlys ${run}`,
    email: email('zoe.angstrom'),
    phone: '+46 8 123 456',
    customer_status: 'active',
    lifecycle_stage: 'loyal',
    acquisition_source: 'referral',
  });
  await createCustomer({
    first_name: 'Bruno',
    last_name: 'Castillo',
    email: email('bruno.castillo'),
    customer_status: 'prospect',
    lifecycle_stage: 'lead',
  });
  await createCustomer({
    first_name: 'Chloé',
    last_name: 'Dubois',
    email: email('chloe.dubois'),
    lifecycle_stage: 'at_risk',
  });
  await createCustomer({
    first_name: 'Marcus',
    last_name: 'Whitfield',
    email: email('marcus'),
    lifecycle_stage: 'customer',
  });
  await createOrder(api, zoe.id, [
    { sku: 'E2E-LAMP', name: 'Brass desk lamp', category: 'home', quantity: 1, unit_price: 89 },
    { sku: 'E2E-MUG', name: 'Stoneware mug', category: 'home', quantity: 2, unit_price: 12.5 },
  ]);
  await createOrder(api, zoe.id, [
    { sku: 'E2E-TEE', name: 'Linen shirt', category: 'apparel', quantity: 1, unit_price: 45 },
  ]);
  await api.post('/users', {
    email: viewer.email,
    password: viewer.password,
    role: 'viewer',
    name: 'Vera Viewer',
  });

  browser = await launchBrowser();
  // The server's CSP allows same-origin scripts only; axe-core is injected as an inline script.
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('CRM console in Chromium', () => {
  it('sends a signed-out user to sign in, then back to where they were going', async () => {
    await page.goto(`${server.baseUrl}/customers?lifecycle_stage=loyal`);
    await page.waitForURL(/\/login\?redirect=/);
    await expectAccessible(page, 'sign-in');

    await page.getByLabel('Email').fill(server.adminEmail);
    await page.getByLabel('Password').first().fill('wrong-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not correct' }).waitFor();

    await page.getByLabel('Password').first().fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/customers');
    expect(new URL(page.url()).searchParams.get('lifecycle_stage')).toBe('loyal');
    await row(/Zoë Ångström/).waitFor();
  });

  it('lists customers with a total and passes axe', async () => {
    await page.goto(`${server.baseUrl}/customers`);
    await row(/Bruno Castillo/).waitFor();
    await expect.poll(() => page.getByText(/^[\d,]+ customers$/).textContent()).toMatch(/customers$/);
    await expectAccessible(page, 'customer list');
  });

  it('searches without regard to accents: "zoe" finds Zoë', async () => {
    await page.getByLabel('Search customers').fill('zoe');
    await page.waitForURL((url) => url.searchParams.get('q') === 'zoe');
    await row(/Zoë Ångström/).waitFor();
    await expect.poll(() => row(/Bruno Castillo/).count()).toBe(0);
  });

  it('filters by lifecycle stage, and clears filters', async () => {
    await page.getByLabel('Search customers').fill('');
    await page.waitForURL((url) => !url.searchParams.has('q'));
    await page.getByRole('combobox', { name: 'Lifecycle stage' }).click();
    await page.getByRole('option', { name: 'Lead' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.searchParams.get('lifecycle_stage') === 'lead');
    await row(/Bruno Castillo/).waitFor();
    await expect.poll(() => row(/Zoë Ångström/).count()).toBe(0);

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.waitForURL((url) => !url.searchParams.has('lifecycle_stage'));
    await row(/Zoë Ångström/).waitFor();
  });

  it('shows "No customers match" with a clear-filters button', async () => {
    await page.goto(`${server.baseUrl}/customers?q=${run}-nobody`);
    await page.getByText('No customers match').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).last().click();
    await row(/Bruno Castillo/).waitFor();
  });

  it('opens a profile from the keyboard (Enter on a focused row)', async () => {
    await page.getByLabel('Search customers').fill('zoe');
    await page.waitForURL((url) => url.searchParams.get('q') === 'zoe');
    await expect.poll(() => row(/Bruno Castillo/).count()).toBe(0);
    await row(/Zoë Ångström/).waitFor();
    await page.locator('tbody tr[data-index="0"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/customers/${zoe.id}`);
    await page.getByRole('heading', { name: 'Zoë Ångström' }).waitFor();
    await page.getByText('Lifetime value').first().waitFor();
    await expectAccessible(page, 'customer profile');
  });

  it('edits contact details and the change is stored', async () => {
    await page.getByRole('button', { name: 'Edit contact details' }).click();
    await page.getByRole('textbox', { name: 'Phone 1' }).fill('+46 70 123 45 67');
    await page.getByRole('button', { name: 'Add email' }).click();
    await page.getByRole('textbox', { name: 'Email 2' }).fill('not-an-email');
    await page.getByRole('button', { name: 'Save contact details' }).click();
    await page.getByText('Enter a valid email address').waitFor();
    await expectAccessible(page, 'contact details form');

    await page.getByRole('textbox', { name: 'Email 2' }).fill(email('zoe.work'));
    await page.getByRole('button', { name: 'Save contact details' }).click();
    await page.getByRole('button', { name: 'Edit contact details' }).waitFor();

    const stored = await api.get<Customer>(`/crm/customers/${zoe.id}`);
    expect(stored.phones.map((p) => p.phone)).toContain('+46 70 123 45 67');
    expect(stored.emails.map((e) => e.email)).toEqual(
      expect.arrayContaining([email('zoe.angstrom'), email('zoe.work')]),
    );
    expect(stored.emails.filter((e) => e.is_primary)).toHaveLength(1);
  });

  it('offers reload or overwrite when someone else saved first', async () => {
    await page.getByRole('button', { name: 'Edit profile' }).click();
    const before = await api.get<Customer>(`/crm/customers/${zoe.id}`);
    await api.request('PUT', `/crm/customers/${zoe.id}`, {
      version: before.version,
      acquisition_source: 'partner',
    });

    await page.getByLabel('Company').fill(`Nordlys AB ${run}`);
    await page.getByRole('button', { name: 'Save profile' }).click();
    const dialog = page.getByRole('dialog', { name: /changed by someone else/ });
    await dialog.waitFor();
    await expectAccessible(page, 'conflict dialog');
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const stored = await api.get<Customer>(`/crm/customers/${zoe.id}`);
    expect(stored.company).toBe(`Nordlys AB ${run}`);
    expect(stored.version).toBeGreaterThan(before.version + 1);
  });

  it('shows the order history with items', async () => {
    const orders = page.getByRole('table', { name: 'Orders' });
    await orders.waitFor();
    expect(await orders.locator('tbody > tr').count()).toBe(2);
    const showButtons = orders.getByRole('button', { name: /Show items of order/ });
    const count = await showButtons.count();
    for (let i = 0; i < count; i += 1) await showButtons.first().click();
    await page.getByRole('cell', { name: 'E2E-LAMP' }).waitFor();
    await page.getByRole('cell', { name: 'Brass desk lamp' }).waitFor();
    await page.getByRole('cell', { name: 'Linen shirt' }).waitFor();
    await expectAccessible(page, 'order history');
  });

  it('tags a customer from the profile, and the tag manager lists it (both pass axe)', async () => {
    const tagName = `VIP ${run}`;
    await api.post('/crm/tags', { name: tagName, color: '#c2255c', description: 'Top customers' });
    await page.goto(`${server.baseUrl}/customers/${zoe.id}`);
    const tags = page.getByRole('group', { name: 'Tags' });
    await tags.getByRole('textbox', { name: 'Add tag' }).fill(tagName);
    await page.getByRole('option', { name: tagName }).click();
    await tags.getByRole('button', { name: `Remove tag ${tagName}` }).waitFor();
    await expectAccessible(page, 'profile with tags');
    const stored = await api.get<Customer>(`/crm/customers/${zoe.id}`);
    expect(stored.tags.map((t) => t.name)).toEqual([tagName]);

    await page.getByRole('link', { name: 'Tags' }).click();
    const table = page.getByRole('table', { name: 'Tags' });
    const tagRow = table.getByRole('row', { name: new RegExp(tagName) });
    await tagRow.waitFor();
    expect(await tagRow.textContent()).toContain('Top customers');
    await expectAccessible(page, 'tag manager');
    await page.getByRole('button', { name: 'New tag' }).click();
    const dialog = page.getByRole('dialog', { name: 'New tag' });
    await dialog.getByLabel('Name').fill(`Newsletter ${run}`);
    await expectAccessible(page, 'tag form');
    await dialog.getByRole('button', { name: 'Create tag' }).click();
    await table.getByRole('row', { name: new RegExp(`Newsletter ${run}`) }).waitFor();
  });

  it('creates a customer; a duplicate email is shown on the email field', async () => {
    await page.getByRole('link', { name: 'New customer' }).first().click();
    await page.waitForURL('**/customers/new');
    await page.getByRole('button', { name: 'Create customer' }).waitFor();
    await expectAccessible(page, 'new customer');
    await page.getByLabel('First name').fill('Ines');
    await page.getByLabel('Last name').fill('Moreau');
    await page.getByLabel('Email').fill(email('bruno.castillo'));
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByText('Another customer already has this email').waitFor();

    await page.getByLabel('Email').fill(email('ines.moreau'));
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Ines Moreau' }).waitFor();
  });

  it('imports a CSV file and reports rejected rows', async () => {
    await page.goto(`${server.baseUrl}/customers/import`);
    await page.getByRole('heading', { name: 'Import customers' }).waitFor();
    await expectAccessible(page, 'import');
    const csv = [
      'E-mail,First name,Last name,Stage',
      `${email('csv.one')},Olga,Petrova,customer`,
      'not-an-email,Bad,Row,lead',
    ].join('\n');
    await page.locator('input[type=file]').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('table', { name: 'Column mapping' }).waitFor();
    await page.getByRole('combobox', { name: 'Import column E-mail as' }).click();
    await page.getByRole('option', { name: 'Email', exact: true }).click();
    await page.getByRole('radio', { name: /Skip the row/ }).check();
    await expectAccessible(page, 'import mapping');
    await page.getByRole('button', { name: /^Import 2 rows$/ }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await rejected.waitFor();
    expect(await rejected.locator('tbody tr').count()).toBe(1);
    const list = await api.get<{ total: number }>(`/crm/customers?q=${encodeURIComponent(email('csv.one'))}`);
    expect(list.total).toBe(1);
  });

  it('manages staff and API tokens (admin screens pass axe)', async () => {
    await page.goto(`${server.baseUrl}/staff`);
    await page.getByRole('heading', { name: 'Staff' }).waitFor();
    await page.getByRole('cell', { name: viewer.email }).waitFor();
    await expectAccessible(page, 'staff');

    await page.goto(`${server.baseUrl}/settings/tokens`);
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByLabel('Name').fill('E2E token');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('It is shown only once').waitFor();
    const token = (await page.getByLabel('API token', { exact: true }).textContent())?.trim() ?? '';
    expect(token.length).toBeGreaterThan(20);
    await expectAccessible(page, 'token created');
    await page.getByRole('button', { name: 'Done' }).click();
    const me = await fetch(`${server.baseUrl}/api/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
  });

  it('keeps the dark theme after a reload and passes axe in it', async () => {
    await page.goto(`${server.baseUrl}/customers`);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await page.reload();
    await row(/Bruno Castillo/).waitFor();
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await expectAccessible(page, 'customer list (dark)');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('shows a viewer masked emails and no write actions', async () => {
    const viewerContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const viewerPage = await viewerContext.newPage();
    try {
      await signIn(viewerPage, server.baseUrl, viewer.email, viewer.password);
      await viewerPage.goto(`${server.baseUrl}/customers?q=${run}`);
      const zoeRow = viewerPage.getByRole('row', { name: /Zoë Ångström/ });
      await zoeRow.waitFor();
      const text = (await zoeRow.textContent()) ?? '';
      expect(text).toContain('***');
      expect(text).not.toContain(email('zoe.angstrom'));
      expect(await viewerPage.getByRole('link', { name: 'New customer' }).count()).toBe(0);
      expect(await viewerPage.getByRole('link', { name: 'Staff' }).count()).toBe(0);

      await zoeRow.click();
      await viewerPage.getByRole('heading', { name: 'Zoë Ångström' }).waitFor();
      expect(await viewerPage.getByRole('button', { name: 'Edit contact details' }).count()).toBe(0);
      expect(await viewerPage.getByText(email('zoe.angstrom')).count()).toBe(0);
    } finally {
      await viewerContext.close();
    }
  });
});
