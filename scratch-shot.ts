import { launchBrowser, signIn } from './tests/e2e/support/browser.js';
const base = 'http://127.0.0.1:3100';
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });
page.on('response', (r) => { if (r.status() >= 400) console.log('http', r.status(), r.url()); });
await signIn(page, base, 'admin@example.test', 'review-pass-2026');
for (const [name, path] of (process.argv.slice(2).length ? process.argv.slice(2) : ['customers=/customers']).map((a) => a.split('='))) {
  const t = Date.now();
  await page.goto(base + path!);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: `/tmp/shot-${name}.png` });
  console.log(name, Date.now() - t, 'ms');
}
await browser.close();
