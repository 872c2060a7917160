import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/shared/customers.js';
import { ApiClient } from './support/api.js';
import { launchBrowser, signIn } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * Service work in Chromium: a note with a mention, a ticket and a task from the profile, while a
 * second open page follows on its timeline without a reload, and the colleague mentioned sees it
 * on their bell.
 */
const run = Date.now().toString(36);
const sam = { email: `sam.${run}@example.com`, password: 'sam-password-123', name: `Sam Service ${run}` };

let server: RunningServer;
let api: ApiClient;
let browser: Browser;
let admin: BrowserContext;
let colleague: BrowserContext;
let customer: Customer;

beforeAll(async () => {
  server = await startServer();
  api = new ApiClient(server.baseUrl);
  await api.login(server.adminEmail, server.adminPassword);
  await api.post('/users', { ...sam, role: 'agent' });
  customer = await api.post<Customer>('/crm/customers', {
    first_name: 'Serena',
    last_name: 'Service',
    email: `serena.${run}@example.com`,
  });
  browser = await launchBrowser();
  admin = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  colleague = await browser.newContext({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Waits for the watcher's timeline to show `text`; returns how long after `since` it appeared. */
async function seenWithin(watcher: Page, text: string, since: number): Promise<number> {
  await watcher.getByRole('region', { name: 'Timeline' }).getByText(text).first().waitFor({ timeout: 5_000 });
  return Date.now() - since;
}

describe('service work in Chromium', () => {
  it('note with a mention, ticket and task; a second page follows live; the colleague is notified', async () => {
    const watcher = await admin.newPage();
    await signIn(watcher, server.baseUrl, server.adminEmail, server.adminPassword);
    await watcher.goto(`${server.baseUrl}/customers/${customer.id}`);
    await watcher.getByRole('region', { name: 'Timeline' }).waitFor();

    const editor = await admin.newPage();
    await editor.goto(`${server.baseUrl}/customers/${customer.id}`);
    const service = editor.getByRole('region', { name: 'Service work' });
    await service.waitFor();

    // 1. a note mentioning Sam, picked from the @ list
    const noteBox = service.getByRole('textbox', { name: 'New note' });
    await noteBox.click();
    await noteBox.pressSequentially('Called about the refund, @Sam');
    await editor.getByRole('option', { name: sam.name }).click();
    await noteBox.pressSequentially('please follow up');
    await service.getByRole('button', { name: 'Add note' }).click();
    await service.getByText(`@${sam.name}`).first().waitFor();
    let since = Date.now();
    expect(await seenWithin(watcher, 'Called about the refund', since)).toBeLessThan(1_000);

    // 2. a ticket from the profile's Tickets tab
    await service.getByRole('tab', { name: 'Tickets' }).click();
    await service.getByRole('button', { name: 'New ticket' }).click();
    const ticketDialog = editor.getByRole('dialog');
    await ticketDialog.getByLabel('Subject').fill(`Refund not received ${run}`);
    await ticketDialog.getByRole('button', { name: 'Open ticket' }).click();
    await editor.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    since = Date.now();
    expect(await seenWithin(watcher, `Refund not received ${run}`, since)).toBeLessThan(1_000);

    // 3. a task from the profile's Tasks tab
    await editor.goto(`${server.baseUrl}/customers/${customer.id}`);
    await service.getByRole('tab', { name: 'Tasks' }).click();
    await service.getByRole('button', { name: 'New task' }).click();
    const taskDialog = editor.getByRole('dialog');
    await taskDialog.getByLabel('Title').fill(`Call Serena back ${run}`);
    await taskDialog.getByRole('button', { name: 'Create task' }).click();
    await service.getByText(`Call Serena back ${run}`).waitFor();
    since = Date.now();
    expect(await seenWithin(watcher, `Call Serena back ${run}`, since)).toBeLessThan(1_000);

    // the watcher never reloaded: the note written first is still there, with everything after it
    const timeline = watcher.getByRole('region', { name: 'Timeline' });
    await expect(timeline.getByText('Called about the refund').count()).resolves.toBeGreaterThan(0);

    // 4. Sam signs in and finds the mention on the bell and on My work
    const samPage = await colleague.newPage();
    await signIn(samPage, server.baseUrl, sam.email, sam.password);
    const bell = samPage.getByRole('button', { name: /Notifications, 1 unread/ });
    await bell.waitFor();
    await bell.click();
    await samPage.getByText(/mentioned you on Serena Service/).click();
    await samPage.waitForURL(`${server.baseUrl}/customers/${customer.id}`);
    await samPage.getByRole('button', { name: /^Notifications(, 0 unread)?$/ }).waitFor();
  });
});
