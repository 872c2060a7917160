import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousAxeViolations } from './browser.js';

/** Fails with a readable list when axe-core finds serious or critical problems on the page. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Colours are judged mid-transition otherwise (modals fade in).
  await page.evaluate(async () => {
    await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)));
  });
  const violations = await seriousAxeViolations(page);
  const summary = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.html).join('\n    ')}`,
  );
  expect(summary, `axe violations on ${screen}`).toEqual([]);
}
