import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/shared/customers.js';
import { type SmtpPeer, startSmtpPeer } from '../helpers/smtp-peer.js';
import { ApiClient } from './support/api.js';
import { expectAccessible } from './support/axe.js';
import { launchBrowser, signIn } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * Email in Chromium: written on the profile, delivered to a real SMTP peer, then opened, clicked
 * and unsubscribed from "the customer's mail client" while the profile stays open and follows.
 */
const run = Date.now().toString(36);
const HUMAN =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

let peer: SmtpPeer;
let server: RunningServer;
let api: ApiClient;
let browser: Browser;
let page: Page;
let customer: Customer;

beforeAll(async () => {
  peer = await startSmtpPeer();
  // opens right after sending count as a reader's here (the default 10 s is a scanner's window)
  server = await startServer({ env: { SMTP_URL: peer.url, EMAIL_MACHINE_SECONDS: '0' } });
  api = new ApiClient(server.baseUrl);
  await api.login(server.adminEmail, server.adminPassword);
  customer = await api.post<Customer>('/crm/customers', {
    first_name: 'Elsa',
    last_name: 'Email',
    email: `elsa.${run}@example.com`,
  });
  browser = await launchBrowser();
  // bypassCSP lets axe-core be injected; the app's own CSP is tested elsewhere
  page = await (
    await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true })
  ).newPage();
  await signIn(page, server.baseUrl, server.adminEmail, server.adminPassword);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await peer?.close();
});

async function waitForMail(subject: string) {
  for (let i = 0; i < 100; i += 1) {
    const mail = peer.received.find((m) => m.parsed.subject === subject);
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail "${subject}" arrived`);
}

/** The status badge of the thread with this subject. */
const threadStatus = (subject: string) =>
  page
    .getByRole('region', { name: 'Email' })
    .locator('.mantine-Accordion-control', { hasText: subject })
    .locator('[data-status]');

async function statusBecomes(subject: string, status: string, since: number): Promise<number> {
  await page.waitForFunction(
    ([s, want]) =>
      [...document.querySelectorAll('.mantine-Accordion-control')].some(
        (c) => c.textContent?.includes(s as string) && c.querySelector(`[data-status="${want}"]`),
      ),
    [subject, status],
    { timeout: 5_000 },
  );
  return Date.now() - since;
}

describe('email in Chromium', () => {
  it('sends from the profile, and the open profile follows opens, clicks and an unsubscribe live', async () => {
    const subject = `Your order ${run}`;
    await page.goto(`${server.baseUrl}/customers/${customer.id}`);
    const card = page.getByRole('region', { name: 'Email' });
    await card.getByText('No emails with this customer yet').waitFor();
    await card.getByRole('button', { name: 'New email' }).click();
    const dialog = page.getByRole('dialog', { name: 'New email' });
    await dialog.getByLabel('Subject').fill(subject);
    await dialog.getByLabel('Message').fill('Hello Elsa, your parcel: https://shop.example/track/42');
    await expectAccessible(page, 'compose email');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const mail = await waitForMail(subject);
    expect(mail.envelope.to).toEqual([customer.email]);
    await statusBecomes(subject, 'sent', Date.now());
    await expectAccessible(page, 'profile with email');

    const html = String(mail.parsed.html);
    const pixel = html.match(/<img src="([^"]+\/t\/o\/[^"]+)"/)?.[1];
    const link = html.match(/href="([^"]+\/t\/c\/[^"]+)"/)?.[1];
    expect(pixel).toBeDefined();
    expect(link).toBeDefined();

    // the customer opens the mail: the open profile shows it within a second, without a reload
    let since = Date.now();
    expect((await fetch(pixel!, { headers: { 'user-agent': HUMAN } })).status).toBe(200);
    expect(await statusBecomes(subject, 'opened', since)).toBeLessThan(1_000);

    // ... and clicks the link: redirected to where the email pointed, and the profile follows
    since = Date.now();
    const click = await fetch(link!, { headers: { 'user-agent': HUMAN }, redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://shop.example/track/42');
    expect(await statusBecomes(subject, 'clicked', since)).toBeLessThan(1_000);
    await expect(threadStatus(subject).textContent()).resolves.toBe('Clicked');

    // ... then unsubscribes with one click (RFC 8058) from the List-Unsubscribe header
    const unsubscribe = mail.raw.replace(/\r?\n[ \t]+/g, ' ').match(/^List-Unsubscribe: <([^>]+)>/m)?.[1];
    expect(unsubscribe).toBeDefined();
    const done = await fetch(unsubscribe!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    const preferences = page.getByRole('region', { name: 'Communication preferences' });
    await expect
      .poll(() => preferences.getByRole('switch', { name: 'Email marketing' }).isChecked(), {
        timeout: 5_000,
      })
      .toBe(false);
  });

  it('shows the Email page with what was sent', async () => {
    await page.goto(`${server.baseUrl}/communications`);
    await page.getByRole('heading', { name: 'Email', level: 1 }).waitFor();
    await expectAccessible(page, 'email page');
  });
});
