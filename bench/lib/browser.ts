import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * Time from navigation start to the first customer row on screen, in a real Chromium, signed in
 * with a session cookie. The page records the moment itself (a MutationObserver started before any
 * script of the app runs, checked every animation frame), so Playwright's polling adds nothing.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The virtualised table's data rows: `tr[data-index]` only exists on real rows, not skeletons. */
export const ROW_SELECTOR =
  '[data-testid="customer-row"], table[aria-label="Customers"] tbody tr[data-index]';

/** Records `window.__firstRowAt` (ms since navigation start) when a row is first on screen. */
function firstRowProbe(selector: string): string {
  return `(() => {
  const selector = ${JSON.stringify(selector)};
  const check = () => {
    if (window.__firstRowAt !== undefined) return;
    const el = document.querySelector(selector);
    if (el) {
      const box = el.getBoundingClientRect();
      if (box.height > 0 && box.bottom > 0 && box.top < window.innerHeight) {
        window.__firstRowAt = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;
}

export interface BrowserRun {
  cold: boolean;
  firstRowMs: number;
  /** Time to the first byte of the page, for context. */
  ttfbMs: number;
  /** When the app's scripts had arrived (DOMContentLoaded: module scripts have run). */
  domReadyMs: number;
  /** When the list request left and when its answer was in, since navigation start. */
  listStartMs: number | null;
  listEndMs: number | null;
}

export function describeRun(b: BrowserRun): string {
  const list =
    b.listStartMs !== null && b.listEndMs !== null
      ? `, list request ${Math.round(b.listStartMs)}→${Math.round(b.listEndMs)} ms`
      : '';
  return (
    `first row at ${Math.round(b.firstRowMs)} ms (document ${Math.round(b.ttfbMs)} ms, ` +
    `scripts run ${Math.round(b.domReadyMs)} ms${list})`
  );
}

export async function measureFirstRow(options: {
  baseUrl: string;
  sessionCookie: { name: string; value: string };
  runs: number;
  log: (line: string) => void;
}): Promise<BrowserRun[]> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const url = new URL('/customers', options.baseUrl).toString();
  const results: BrowserRun[] = [];
  try {
    // one context for the run series: the first load is cold (empty cache), later ones warm
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([
      { ...options.sessionCookie, url: options.baseUrl, httpOnly: true, sameSite: 'Lax' },
    ]);
    // a string, not a function: tsx would wrap named inner functions in a helper the page lacks
    await context.addInitScript({ content: firstRowProbe(ROW_SELECTOR) });
    for (let run = 0; run < options.runs; run++) {
      const page = await context.newPage();
      try {
        await page.goto(url, { waitUntil: 'commit' });
        await page.waitForSelector(ROW_SELECTOR, { state: 'visible', timeout: 30_000 });
        await page.waitForFunction(
          () => (window as unknown as { __firstRowAt?: number }).__firstRowAt !== undefined,
        );
        const timing = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as
            | PerformanceNavigationTiming
            | undefined;
          const api = performance
            .getEntriesByType('resource')
            .find((e) => e.name.includes('/api/crm/customers')) as PerformanceResourceTiming | undefined;
          return {
            firstRowMs: (window as unknown as { __firstRowAt: number }).__firstRowAt,
            ttfbMs: nav ? nav.responseStart : -1,
            domReadyMs: nav ? nav.domContentLoadedEventEnd : -1,
            listStartMs: api ? api.startTime : null,
            listEndMs: api ? api.responseEnd : null,
          };
        });
        results.push({ cold: run === 0, ...timing });
        options.log(`  browser run ${run + 1}: ${describeRun({ cold: run === 0, ...timing })}`);
      } finally {
        await page.close();
      }
    }
    await context.close();
  } finally {
    await browser.close();
  }
  return results;
}
