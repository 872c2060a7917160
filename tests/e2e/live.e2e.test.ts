import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/shared/customers.js';
import { ApiClient } from './support/api.js';
import { launchBrowser, signIn } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/** The open profile follows changes made elsewhere, without a reload (server-sent events). */
const run = Date.now().toString(36);

let server: RunningServer;
let api: ApiClient;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  api = new ApiClient(server.baseUrl);
  await api.login(server.adminEmail, server.adminPassword);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('live timeline in Chromium', () => {
  it('shows a change made in another page within a second, without reloading', async () => {
    const customer = await api.post<Customer>('/crm/customers', {
      first_name: 'Liv',
      last_name: 'Stream',
      email: `liv.${run}@example.com`,
    });
    const watcher = await context.newPage();
    await signIn(watcher, server.baseUrl, server.adminEmail, server.adminPassword);
    await watcher.goto(`${server.baseUrl}/customers/${customer.id}`);
    const timeline = watcher.getByRole('region', { name: 'Timeline' });
    await timeline.waitFor();

    // a second page (same user, another tab) tags the customer from the profile
    await api.post('/crm/tags', { name: `Live ${run}`, color: '#1c7ed6' });
    const editor = await context.newPage();
    await editor.goto(`${server.baseUrl}/customers/${customer.id}`);
    const tags = editor.getByRole('group', { name: 'Tags' });
    await tags.getByRole('textbox', { name: 'Add tag' }).fill(`Live ${run}`);
    await editor.getByRole('option', { name: `Live ${run}` }).click();
    await tags.getByRole('button', { name: `Remove tag Live ${run}` }).waitFor();
    const saved = Date.now();

    // the first page hears of it and refetches its timeline
    await timeline.getByText(`Tagged Live ${run}`).waitFor({ timeout: 3_000 });
    expect(Date.now() - saved).toBeLessThan(1_000);
  });
});
