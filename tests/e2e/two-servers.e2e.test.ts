import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/shared/customers.js';
import { ApiClient } from './support/api.js';
import { launchBrowser, signIn } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * Two server processes on one PostgreSQL database: a note written through one reaches, within a
 * second, a browser that has the customer open on the other (LISTEN/NOTIFY between processes).
 * Needs a PostgreSQL server it may create a database on: E2E_POSTGRES_URL, by default the local
 * one that CI starts (trust authentication).
 */
const adminUrl = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `crm_e2e_${Date.now().toString(36)}`;

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('live events across two server processes', () => {
  let first: RunningServer | undefined;
  let second: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    await onServer(`CREATE DATABASE ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    // one after the other: the first applies the migrations
    first = await startServer({ databaseUrl: url.toString() });
    second = await startServer({ databaseUrl: url.toString() });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await second?.stop();
    await first?.stop();
    await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('shows a note written through one server on a profile open on the other, within a second', async () => {
    if (!first || !second || !browser) throw new Error('not started');
    const writer = new ApiClient(first.baseUrl);
    await writer.login(first.adminEmail, first.adminPassword);
    const customer = await writer.post<Customer>('/crm/customers', {
      first_name: 'Cross',
      last_name: 'Process',
    });

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, second.baseUrl, second.adminEmail, second.adminPassword);
    await page.goto(`${second.baseUrl}/customers/${customer.id}`);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline
      .getByText(/^Created by/)
      .first()
      .waitFor();
    // the profile's event stream is open once the page has settled
    await page.waitForTimeout(500);

    await writer.post(`/crm/customers/${customer.id}/notes`, { content: 'Written through the first server' });
    const written = Date.now();
    await timeline.getByText('Written through the first server').waitFor({ timeout: 5_000 });
    expect(Date.now() - written).toBeLessThan(1_000);
    // and the note list of the open Notes tab too
    await page
      .getByRole('region', { name: 'Service work' })
      .getByText('Written through the first server')
      .waitFor({ timeout: 2_000 });
  });
});
