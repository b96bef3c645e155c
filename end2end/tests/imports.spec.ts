import { test, expect } from '@playwright/test';
import { demoCompany, logIn } from './demo';

test('upload a file, watch the progress reach completed, see the counts and the history', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await logIn(page, demoCompany(5));
  await page.goto('/board');
  await page.getByTestId('import-leads').click();
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();

  const rows = ['First Name;Last Name;Email;Source;Favourite colour'];
  for (let i = 0; i < 5000; i++) rows.push(`Lead${i};Imported;lead${i}@import.test;Website;blue`);
  rows.push('Again;Imported;LEAD7@import.test;;');
  rows.push('=cmd();Broken;not-an-email;;');
  await page.getByTestId('import-file').setInputFiles({
    name: 'spring-fair.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\ufeff' + rows.join('\r\n') + '\r\n'),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page).toHaveURL(/\/imports\?import=\d+$/);
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByTestId('import')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(page.getByTestId('import-progress')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('count-imported')).toHaveText('5,000');
  await expect(page.getByTestId('count-duplicates')).toHaveText('1');
  await expect(page.getByTestId('count-failed')).toHaveText('1');
  await expect(page.getByTestId('import-notes')).toContainText('Favourite colour');
  await expect(page.getByText('Row 5003:')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('failed-rows').click();
  const csv = await (await download).path();
  const text = require('fs').readFileSync(csv, 'utf8');
  expect(text).toContain("5003,");
  expect(text).toContain("'=cmd()");
  await expect(page.getByTestId('history-row').first()).toContainText('spring-fair.csv');
  await expect(page.getByTestId('history-row').first()).toContainText('5,002');
  await page.screenshot({ path: 'end2end/test-results/imports.png', fullPage: true });

  // Leaving in the page (no reload) stops its polling: the app keeps working.
  await page.getByRole('link', { name: '← Board' }).click();
  await expect(page).toHaveURL(/\/board$/);
  await page.waitForTimeout(1200);
  await page.getByTestId('import-leads').click();
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.getByTestId('history-row').first()).toContainText('spring-fair.csv');
  expect(errors).toEqual([]);
});

test('a file that is not CSV is refused with a clear message', async ({ page }) => {
  await logIn(page, demoCompany(5));
  await page.goto('/imports');
  await page.getByTestId('import-file').setInputFiles({
    name: 'photo.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('upload-error')).toContainText('is not a CSV file');
  await expect(page.getByTestId('history-row')).toHaveCount(0);
});
