import { test, expect, Page } from '@playwright/test';
import { demoCompany, logIn } from './demo';

async function open(page: Page, section: string) {
  await page.goto(`/settings/${section}`);
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
}

const order = (page: Page, item: string, attr: string) =>
  page.getByTestId(item).evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attr);

/** Drags the row at index `from` by its grip onto the row at index `to` with the mouse. */
async function drag(page: Page, from: number, to: number) {
  const rows = page.getByTestId('reorder-item');
  const grip = (await rows.nth(from).locator('[data-grip]').boundingBox())!;
  const b = (await rows.nth(to).boundingBox())!;
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + 40, b.y + b.height / 2, { steps: 10 });
  await page.mouse.move(b.x + 40, b.y + 4, { steps: 4 });
  await page.mouse.up();
}

test('reordering sources and questions by drag persists after a reload', async ({ page }) => {
  await logIn(page, demoCompany(5));
  await open(page, 'sources');
  const before = await order(page, 'source', 'data-name');
  expect(before).toEqual(['Website', 'Referral', 'Trade show', 'Cold outreach', 'Partner']);
  await drag(page, 3, 0);
  const moved = ['Cold outreach', 'Website', 'Referral', 'Trade show', 'Partner'];
  await expect.poll(() => order(page, 'source', 'data-name')).toEqual(moved);
  await page.waitForLoadState('networkidle');
  await open(page, 'sources');
  expect(await order(page, 'source', 'data-name')).toEqual(moved);
  await expect(page.getByTestId('reorder-position').first()).toHaveText('1');

  // The keyboard way: the row's ↓ button.
  await page.getByRole('button', { name: 'Move source down' }).first().click();
  await expect.poll(() => order(page, 'source', 'data-name')).toEqual(['Website', 'Cold outreach', 'Referral', 'Trade show', 'Partner']);
  await page.waitForLoadState('networkidle');
  await open(page, 'sources');
  expect((await order(page, 'source', 'data-name'))[0]).toBe('Website');

  await open(page, 'questions');
  const questions = await order(page, 'question', 'data-text');
  expect(questions[0]).toBe('What is the budget?');
  await drag(page, 2, 0);
  await expect.poll(async () => (await order(page, 'question', 'data-text'))[0]).toBe(questions[2]);
  await page.waitForLoadState('networkidle');
  await open(page, 'questions');
  expect(await order(page, 'question', 'data-text')).toEqual([questions[2], questions[0], questions[1], questions[3]]);
  await page.screenshot({ path: 'end2end/test-results/settings-questions.png', fullPage: true });
});

test('sources: add one, give it a rep, delete it', async ({ page }) => {
  await logIn(page, demoCompany(5));
  await open(page, 'sources');
  await page.getByTestId('source-name').fill('Podcast');
  await page.getByRole('button', { name: 'Add source' }).click();
  const podcast = page.locator('[data-testid=source][data-name=Podcast]');
  await expect(podcast).toBeVisible();
  await expect(page.getByTestId('source-name')).toHaveValue('');
  await podcast.getByRole('button', { name: 'Add rep' }).click();
  await expect(podcast.getByTestId('rep')).toHaveCount(1);
  // A delete asks first.
  await podcast.getByLabel('Delete the source Podcast?').click();
  await expect(podcast).toContainText('Its leads keep their other fields.');
  await podcast.getByTestId('confirm-yes').click();
  await expect(podcast).toHaveCount(0);
  await page.screenshot({ path: 'end2end/test-results/settings-sources.png', fullPage: true });
});

test('team: change an access, keep the last admin, invite and revoke, cancel the plan', async ({ page }) => {
  const admin = demoCompany(5);
  await logIn(page, admin);
  await open(page, 'team');
  await expect(page.getByTestId('member')).toHaveCount(6);
  const rep = page.getByTestId('member').filter({ hasText: 'Riley Reyes' });
  await rep.getByRole('combobox').selectOption({ label: 'Manager' });
  await rep.getByRole('button', { name: 'Change' }).click();
  await page.waitForLoadState('networkidle');
  await open(page, 'team');
  await expect(page.getByTestId('member').filter({ hasText: 'Riley Reyes' }).getByRole('combobox')).toHaveValue(
    await page.getByTestId('member').filter({ hasText: 'Morgan Manager' }).getByRole('combobox').inputValue(),
  );
  const me = page.locator(`[data-testid=member][data-email="${admin}"]`);
  await me.getByLabel(/^Remove/).click();
  await me.getByTestId('confirm-yes').click();
  await expect(page.getByTestId('form-error')).toContainText('the last admin of a company cannot be removed');
  await page.screenshot({ path: 'end2end/test-results/settings-team.png', fullPage: true });

  await open(page, 'invitations');
  await page.getByTestId('invite-email').fill('new.rep@example.com');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByTestId('invitation').filter({ hasText: 'new.rep@example.com' })).toBeVisible();
  await expect(page.getByTestId('seats')).toContainText('7 of 50 seats');
  await page.getByLabel('Revoke the invitation of new.rep@example.com?').click();
  await page.getByTestId('invitation').getByTestId('confirm-yes').click();
  await expect(page.getByTestId('invitation')).toHaveCount(0);

  await open(page, 'plan');
  await expect(page.getByTestId('plan-status')).toContainText('Growth');
  await page.getByLabel('Cancel the plan at the end of the period?').click();
  await page.getByTestId('confirm-yes').click();
  await expect(page.getByTestId('plan-status')).toContainText('cancelled and stays active until');
  await page.getByRole('button', { name: 'Switch to Free' }).click();
  await expect(page.getByTestId('form-error')).toContainText('the Free plan has 3 seats but the company uses 6');
  await page.screenshot({ path: 'end2end/test-results/settings-plan.png', fullPage: true });
});
