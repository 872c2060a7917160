import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/shared/customers.js';
import { ApiClient } from './support/api.js';
import { launchBrowser, signIn } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * Exports in Chromium: the customer list's search is exported from the dialog (count shown
 * before starting), the export is followed on the Exports page until it can be downloaded, and
 * the file the browser saves is the search's customers, formulas neutralised.
 */
const run = Date.now().toString(36);
let server: RunningServer;
let api: ApiClient;
let browser: Browser;
let page: Page;
const made: Customer[] = [];

beforeAll(async () => {
  server = await startServer();
  api = new ApiClient(server.baseUrl);
  await api.login(server.adminEmail, server.adminPassword);
  for (const first of ['Xena', '=cmd|calc', 'Zoë']) {
    made.push(
      await api.post<Customer>('/crm/customers', {
        first_name: first,
        last_name: `Export ${run}`,
        email: `${first.replace(/\W/g, '')}.${run}@example.com`.toLowerCase(),
      }),
    );
  }
  browser = await launchBrowser();
  page = await (
    await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
  ).newPage();
  await signIn(page, server.baseUrl, server.adminEmail, server.adminPassword);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('exporting customers', () => {
  it('exports the list’s search as CSV from the dialog and downloads it from the Exports page', async () => {
    await page.goto(`${server.baseUrl}/customers?q=${encodeURIComponent(`Export ${run}`)}`);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export customers' });
    await expect
      .poll(() => dialog.getByTestId('export-row-count').textContent())
      .toMatch(/^3 customers will be exported/);
    await dialog.getByRole('button', { name: /^Start CSV export$/ }).click();
    await page.getByText('Export started').waitFor();

    await page.goto(`${server.baseUrl}/exports`);
    const download = page.getByRole('link', { name: /^Download customers-.*\.csv$/ }).first();
    await download.waitFor({ timeout: 30_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    const rows = parse(await readFile((await file.path())!), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => r['First name']).sort()).toEqual(["'=cmd|calc", 'Xena', 'Zoë']);
    expect(rows.map((r) => r.Email).sort()).toEqual(made.map((c) => c.email).sort());
  }, 120_000);
});
