import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The page is no wider than the window: nothing scrolls sideways. */
export async function noSidewaysScroll(page: Page, path: string) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, `${path} scrolls sideways`).toBeLessThanOrEqual(width);
}

/** axe-core's serious and critical findings against WCAG 2.1 A and AA. */
export async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Both, for the page the browser is on. */
export async function fitsAndPassesAxe(page: Page) {
  const path = new URL(page.url()).pathname;
  await noSidewaysScroll(page, path);
  expect(await seriousViolations(page), path).toEqual([]);
}
