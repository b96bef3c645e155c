import { test, expect, Page } from '@playwright/test';
import { demoCompany, logIn } from './demo';

async function openBoard(page: Page, query = '') {
  await page.goto('/board' + query);
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  await expect(page.getByTestId('board')).toBeVisible();
}

const column = (page: Page, key: string) => page.locator(`[data-testid=column][data-stage-key=${key}]`);
/** A count as the page groups it: `1,234`. */
const number = (text: string) => Number(text.replace(/,/g, ''));
const grouped = (n: number) => n.toLocaleString('en-US');
const count = async (page: Page, key: string) => number(await column(page, key).getByTestId('column-count').innerText());

test('drag a card to another column and it stays there after a reload', async ({ page }) => {
  // Tall enough that the first card and its target are on screen without scrolling.
  await page.setViewportSize({ width: 1400, height: 1300 });
  await logIn(page, demoCompany(40));
  await openBoard(page);
  const card = column(page, 'new').getByTestId('card').first();
  const id = await card.getAttribute('data-lead-id');
  const [newBefore, toBefore] = [await count(page, 'new'), await count(page, 'contacted')];
  await card.scrollIntoViewIfNeeded();
  const from = (await card.boundingBox())!;
  const to = (await column(page, 'contacted').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height * 0.6);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 8 });
  await page.mouse.up();
  await expect(column(page, 'contacted').locator(`[data-lead-id="${id}"]`)).toBeVisible();
  await expect(column(page, 'contacted').getByTestId('column-count')).toHaveText(grouped(toBefore + 1));
  await expect(column(page, 'new').getByTestId('column-count')).toHaveText(grouped(newBefore - 1));
  await expect(page.getByTestId('metrics-chart')).toContainText(`${toBefore + 1} ·`);
  await page.waitForLoadState('networkidle');
  await openBoard(page);
  await expect(column(page, 'contacted').locator(`[data-lead-id="${id}"]`)).toBeVisible();
  await expect(column(page, 'new').locator(`[data-lead-id="${id}"]`)).toHaveCount(0);
});

test('move a card with the keyboard, and hear where it went', async ({ page }) => {
  await logIn(page, demoCompany(30));
  await openBoard(page);
  const card = column(page, 'contacted').getByTestId('card').first();
  const id = await card.getAttribute('data-lead-id');
  await card.focus();
  // Arrows go from card to card; Shift with an arrow moves the card.
  await page.keyboard.press('ArrowDown');
  await expect(column(page, 'contacted').getByTestId('card').nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(card).toBeFocused();
  await page.keyboard.press('Shift+ArrowRight');
  const moved = column(page, 'qualified').locator(`[data-lead-id="${id}"]`);
  await expect(moved).toBeVisible();
  await expect(moved).toBeFocused();
  await expect(page.getByTestId('board-announcement')).toContainText('moved to Qualified');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(column(page, 'new').locator(`[data-lead-id="${id}"]`)).toBeVisible();
  await page.waitForLoadState('networkidle');
  await openBoard(page);
  await expect(column(page, 'new').locator(`[data-lead-id="${id}"]`)).toBeVisible();
});

test('search filters the board and the counts', async ({ page }) => {
  await logIn(page, demoCompany(50));
  await openBoard(page);
  const first = page.getByTestId('card').first();
  const name = (await first.locator('a').first().innerText()).trim();
  await page.getByLabel('Search').fill(name);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(name).replace(/%20/g, '\\+')}`));
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  const names = await page.getByTestId('card').locator('a').allInnerTexts();
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(n.trim()).toBe(name);
  const total = (await page.getByTestId('column-count').allInnerTexts()).map(number).reduce((a, b) => a + b, 0);
  expect(total).toBeLessThan(50);
  await expect(page.getByTestId('metrics-chart')).toContainText(`${total} leads`);
});

test('add and delete a note on a lead', async ({ page }) => {
  await logIn(page, demoCompany(10));
  await openBoard(page);
  await page.getByTestId('card').first().locator('a').first().click();
  await expect(page.getByTestId('lead-detail')).toBeVisible();
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('note')).toHaveCount(0);
  await page.getByTestId('note-body').fill('Called: wants a demo on Friday');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('note')).toContainText('Called: wants a demo on Friday');
  await page.reload();
  await expect(page.getByTestId('note')).toContainText('Called: wants a demo on Friday');
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  await page.getByTestId('note').getByLabel('Delete this note for good?').click();
  await page.getByTestId('note').getByTestId('confirm-yes').click();
  await expect(page.getByTestId('note')).toHaveCount(0);
});

test('create a lead from the form and book an appointment', async ({ page }) => {
  await logIn(page, demoCompany(5));
  await page.goto('/leads/new');
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Last name').fill('Hopper');
  await page.getByLabel('Email').fill('grace@navy.example');
  await page.getByLabel('Phone').fill('call me maybe');
  await page.getByRole('button', { name: 'Save lead' }).click();
  await expect(page.getByRole('alert').first()).toContainText('not a valid phone number');
  await page.getByLabel('Phone').fill('+1 202 555 0143');
  await page.getByLabel('Value ($)').fill('12,500');
  await page.getByRole('button', { name: 'Save lead' }).click();
  await expect(page).toHaveURL(/\/leads\/\d+$/);
  await expect(page.getByTestId('lead-detail')).toContainText('Grace Hopper');
  await expect(page.getByTestId('lead-detail')).toContainText('$12,500');
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  await page.getByLabel('Starts (UTC)').fill('2030-05-01T10:30');
  await page.getByLabel('Location').fill('Video call');
  await page.getByRole('button', { name: 'Book appointment' }).click();
  await expect(page.getByTestId('appointment')).toContainText('1 May 2030, 10:30 UTC');
  await expect(page.getByTestId('lead-stage').locator('option:checked')).toHaveText('Appointment set');
  await page.goto('/appointments');
  await expect(page.getByTestId('appointment').first()).toContainText('Grace Hopper');
});

test('a move the server refuses puts the card back and says why', async ({ page }) => {
  await logIn(page, demoCompany(20));
  await openBoard(page);
  await page.route('**/rpc/move_lead*', (route) =>
    route.fulfill({ status: 500, contentType: 'application/json', body: '{"Domain":{"NotFound":"lead"}}' }),
  );
  const card = column(page, 'new').getByTestId('card').first();
  const id = await card.getAttribute('data-lead-id');
  const before = await count(page, 'new');
  await card.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('board-message')).toContainText('not moved');
  await expect(column(page, 'new').locator(`[data-lead-id="${id}"]`)).toBeVisible();
  await expect(column(page, 'new').getByTestId('column-count')).toHaveText(grouped(before));
});

test('typing in the search box shows matching leads, and one opens its page', async ({ page }) => {
  await logIn(page, demoCompany(50));
  await openBoard(page);
  const name = (await page.getByTestId('card').first().locator('a').first().innerText()).trim();
  const last = name.split(' ').pop()!;
  await page.getByTestId('search-input').pressSequentially(last.slice(0, 4).toLowerCase(), { delay: 40 });
  const hits = page.getByTestId('search-hit');
  await expect(hits.first()).toBeVisible();
  for (const hit of await hits.allInnerTexts()) expect(hit.toLowerCase()).toContain(last.slice(0, 4).toLowerCase());
  await page.getByTestId('search-input').press('ArrowDown');
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('lead-detail')).toBeVisible();
});

test('find duplicates, merge them, and undo the merge', async ({ page }) => {
  await logIn(page, demoCompany(1000));
  await page.goto('/board?view=duplicates');
  const group = page.getByTestId('duplicate-group').first();
  await expect(group).toBeVisible();
  const shared = (await group.locator('code').innerText()).trim();
  const inGroup = (text: string) => page.getByTestId('duplicate-group').filter({ has: page.locator('code', { hasText: text }) });
  await group.getByTestId('merge-group').click();
  await expect(page.getByTestId('merge-table')).toBeVisible();
  await page.getByTestId('merge-submit').click();
  await expect(page.getByTestId('merge-status')).toContainText('Leads merged');
  await expect(page.getByTestId('merge-banner')).toBeVisible();
  const lead = page.url().replace(/\?.*$/, '');
  await page.goto('/board?view=duplicates');
  await expect(page.getByTestId('duplicate-group').first()).toBeVisible();
  await expect(inGroup(shared)).toHaveCount(0);
  await page.goto(lead);
  await page.getByTestId('undo-merge').click();
  await expect(page.getByTestId('merge-status')).toContainText('Merge undone');
  await expect(page.getByTestId('merge-banner')).toHaveCount(0);
  await page.goto('/board?view=duplicates');
  await expect(inGroup(shared)).toHaveCount(1);
});

test('tick leads in the list and move them, then change every matching lead as a job', async ({ page }) => {
  await logIn(page, demoCompany(1000));
  await page.goto('/board?view=list');
  const rows = page.getByTestId('lead-row');
  await expect(rows).toHaveCount(50);
  await rows.nth(0).getByTestId('choose-lead').check();
  await rows.nth(1).getByTestId('choose-lead').check();
  const boxes = [await rows.nth(0).getByTestId('choose-lead').getAttribute('name'), await rows.nth(1).getByTestId('choose-lead').getAttribute('name')];
  await page.getByTestId('bulk-choice').selectOption({ label: 'Won' });
  await page.getByTestId('bulk-apply').click();
  await expect(page.getByTestId('bulk-done')).toBeVisible();
  await page.goto('/board?view=list&stage=' + (await stageId(page, 'Won')));
  for (const box of boxes) await expect(page.locator(`input[name="${box}"]`)).toHaveCount(1);

  // "All matching" takes the filters in use, and only them.
  await openBoard(page);
  const [won, lost] = [await count(page, 'won'), await count(page, 'lost')];
  await page.goto('/board?view=list&stage=' + (await stageId(page, 'Won')));
  await expect(page.getByText(`all ${grouped(won)} matching leads`)).toBeVisible();
  await page.getByTestId('select-all').check();
  await page.getByTestId('bulk-choice').selectOption({ label: 'Lost' });
  await page.getByTestId('bulk-apply').click();
  await expect(page.getByTestId('bulk-done')).toHaveText(`${grouped(won)} leads changed.`);
  await openBoard(page);
  expect([await count(page, 'won'), await count(page, 'lost')]).toEqual([0, lost + won]);

  // Deleting asks to be sure first, and nothing goes until then.
  await page.goto('/board?view=list');
  await page.getByTestId('lead-row').first().getByTestId('choose-lead').check();
  await page.getByTestId('bulk-choice').selectOption('delete');
  await page.getByTestId('bulk-apply').click();
  await expect(page.getByTestId('form-error')).toContainText('cannot be undone');

  // Every lead: too many to wait for, so a job with its progress.
  await page.goto('/board?view=list');
  await page.getByTestId('select-all').check();
  await page.getByTestId('bulk-choice').selectOption({ label: 'Contacted' });
  await page.getByTestId('bulk-apply').click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByTestId('job')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(page.getByTestId('job-status')).toContainText(/Done: [\d,]+ leads changed/);
  await openBoard(page);
  expect(await count(page, 'contacted')).toBe(1000);
});

test('a large export is prepared in the background and downloads when ready', async ({ page }) => {
  await logIn(page, demoCompany(300));
  await page.goto('/board');
  await page.getByTestId('export-leads').click();
  await page.getByTestId('export-job').click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  const download = page.getByTestId('job-download');
  await expect(download).toBeVisible({ timeout: 60_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const text = await (await file.createReadStream()).toArray();
  const csv = Buffer.concat(text).toString('utf8');
  expect(csv.split('\n')[0]).toContain('first_name,last_name');
  expect(csv.trim().split('\n')).toHaveLength(301);
});

/** A stage's id, from the list view's stage filter. */
async function stageId(page: Page, name: string): Promise<string> {
  await page.goto('/board?view=list');
  return (await page.locator('select[name=stage] option', { hasText: name }).getAttribute('value'))!;
}
