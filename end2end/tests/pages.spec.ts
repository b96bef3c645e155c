import { test, expect, Page, Browser } from '@playwright/test';
import { noSidewaysScroll, seriousViolations } from './checks';
import { demoCompany, logIn } from './demo';

/** Every page a signed-in admin can open, one lead's included. */
async function memberPages(page: Page): Promise<string[]> {
  await page.goto('/board');
  const lead = await page.getByTestId('card').first().getAttribute('data-lead-id');
  return [
    '/board', '/board?view=list', '/board?view=unassigned', '/board?view=duplicates', '/board?q=zzzz-nobody', '/leads/new',
    `/leads/${lead}`, `/leads/${lead}/edit`, '/imports', '/appointments', '/account', '/api-docs',
    '/settings/company', '/settings/team', '/settings/invitations', '/settings/sources',
    '/settings/territories', '/settings/questions', '/settings/campaigns', '/settings/cycles', '/settings/plan',
    '/settings/webhooks', '/settings/audit', '/settings/audit?kind=lead.created',
  ];
}
const visitorPages = ['/login', '/signup', '/password/forgot', '/no-such-page'];

test('no page scrolls sideways on a 390 px phone, and the menu folds away', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
  for (const path of visitorPages) {
    await page.goto(path);
    await noSidewaysScroll(page, path);
  }
  await logIn(page, demoCompany(60));
  for (const path of await memberPages(page)) {
    await page.goto(path);
    await noSidewaysScroll(page, path);
  }
  await page.goto('/board');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeHidden();
  await page.getByTestId('menu').locator('summary').click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  // One column fills the screen; the strip above names every stage with its count and picks one.
  const first = await page.getByTestId('column').first().boundingBox();
  expect(first!.width).toBeGreaterThan(300);
  const strip = page.getByTestId('stage-strip');
  await expect(strip).toContainText('Won');
  await strip.getByRole('link', { name: /Won/ }).click();
  await expect(page.locator('[data-testid=column][data-stage-key=won]')).toBeInViewport();
});

test('axe finds nothing serious on any page, signed out or in', async ({ page }) => {
  for (const path of visitorPages) {
    await page.goto(path);
    expect(await seriousViolations(page), path).toEqual([]);
  }
  await logIn(page, demoCompany(40));
  for (const path of await memberPages(page)) {
    await page.goto(path);
    await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
    expect(await seriousViolations(page), path).toEqual([]);
  }
});

test('a stage picked before the board hydrates is sent, not lost', async ({ page }) => {
  await logIn(page, demoCompany(20));
  // The page's code never arrives: the card is a plain form.
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto('/board');
  const card = page.locator('[data-testid=column][data-stage-key=new] [data-testid=card]').first();
  const id = await card.getAttribute('data-lead-id');
  expect(await card.getAttribute('draggable')).toBeNull();
  await card.getByTestId('move-select').selectOption({ label: 'Proposal' });
  await card.getByTestId('move-submit').click();
  await expect(page.locator(`[data-testid=column][data-stage-key=proposal] [data-lead-id="${id}"]`)).toBeVisible();
  await page.unroute('**/*.wasm');
  await page.reload();
  await expect(page.locator(`[data-testid=column][data-stage-key=proposal] [data-lead-id="${id}"]`)).toBeVisible();
});

test('a sales rep sees their own leads and only the tools they can use', async ({ page }) => {
  const admin = demoCompany(30);
  await logIn(page, admin.replace('admin@', 'salesrep1@'));
  await expect(page.getByRole('heading', { name: 'My leads' })).toBeVisible();
  await expect(page.getByTestId('import-leads')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Unassigned' })).toHaveCount(0);
  await expect(page.locator('select[name=assignee]')).toHaveCount(0);
  for (const assignee of await page.getByTestId('card').allInnerTexts()) expect(assignee).toContain('Riley Reyes');
  await page.goto('/board?view=unassigned');
  await expect(page.getByTestId('board')).toBeVisible();
});

test('the questions are answered on the lead page, checked by kind, and editable', async ({ page }) => {
  await logIn(page, demoCompany(5));
  await page.goto('/settings/questions');
  for (const [text, kind, options] of [['Budget in euros', 'number', ''], ['Team size', 'single_choice', 'Small\nLarge']]) {
    await page.getByTestId('question-text').fill(text);
    await page.getByTestId('question-kind').selectOption(kind);
    await page.getByTestId('question-options').fill(options);
    await page.getByRole('button', { name: 'Add question' }).click();
    await expect(page.locator(`[data-testid=question][data-text="${text}"]`)).toBeVisible();
  }
  const edit = page.locator('[data-testid=question][data-text="Team size"]').getByTestId('edit-question');
  await edit.getByText('Edit').click();
  await edit.locator('textarea[name=options]').fill('Small\nMedium\nLarge');
  await edit.getByRole('button', { name: 'Save question' }).click();
  await expect(page.locator('[data-testid=question][data-text="Team size"]')).toContainText('Medium');

  await page.goto('/board');
  await page.getByTestId('card').first().locator('a').first().click();
  const answers = page.getByTestId('answers');
  await answers.getByLabel('Budget in euros').fill('lots');
  await answers.getByLabel('Team size').selectOption('Medium');
  const refused = page.waitForResponse((r) => r.url().includes('/rpc/') && r.request().method() === 'POST');
  await answers.getByRole('button', { name: 'Save answers' }).click();
  expect((await refused).status()).toBe(422);
  await expect(answers.getByRole('alert').first()).toContainText('must be a number');
  await expect(answers.getByLabel('Budget in euros')).toHaveValue('lots');
  await expect(answers.getByLabel('Team size')).toHaveValue('Medium');
  await answers.getByLabel('Budget in euros').fill('12,5');
  await answers.getByRole('button', { name: 'Save answers' }).click();
  await expect(page.getByText('Answers saved.')).toBeVisible();
  await page.reload();
  await expect(answers.getByLabel('Budget in euros')).toHaveValue('12.5');
  await expect(answers.getByLabel('Team size')).toHaveValue('Medium');
});

test('a booking at 09:00 in New York shows 09:00 there and 14:00Z in the API', async ({ page, request }) => {
  const admin = demoCompany(5);
  await logIn(page, admin);
  await page.goto('/account');
  await page.getByTestId('time-zone').selectOption('America/New_York');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByText('Time zone saved.')).toBeVisible();
  await page.goto('/board');
  await page.getByTestId('card').first().locator('a').first().click();
  await page.getByLabel('Starts (America/New_York)').fill('2030-01-15T09:00');
  await page.getByRole('button', { name: 'Book appointment' }).click();
  await expect(page.getByTestId('appointment')).toContainText('15 Jan 2030, 09:00 EST');
  const login = await request.post('/api/v1/users/login', { data: { email: admin, password: 'demo-password-1' } });
  const token = (await login.json()).token;
  const listed = await request.get('/api/v1/appointments', { headers: { Authorization: `Bearer ${token}` } });
  const starts = (await listed.json()).appointments.map((a: { starts_at: string }) => a.starts_at);
  expect(starts).toContain('2030-01-15T14:00:00Z');
});

test('sign-up takes the browser\'s time zone', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  await page.goto('/signup');
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  await page.getByLabel('First name').fill('Kei');
  await page.getByLabel('Last name').fill('Tanaka');
  await page.getByLabel('Work email').fill(`kei-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('a-long-password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/onboarding/);
  await page.goto('/account');
  await expect(page.getByTestId('time-zone')).toHaveValue('Asia/Tokyo');
  await context.close();
});

test('without JavaScript a refused form comes back filled in, with the message and its status', async ({ browser }) => {
  await noScript(browser, async (page) => {
    await page.goto('/signup');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Work email').fill('ada@example.com');
    await page.getByLabel('Password').fill('short');
    const answer = page.waitForResponse((r) => r.url().includes('/rpc/'));
    await page.getByRole('button', { name: 'Sign up' }).click();
    expect((await answer).status()).toBe(422);
    await expect(page.getByRole('alert').first()).toContainText('8');
    await expect(page.getByLabel('First name')).toHaveValue('Ada');
    await expect(page.getByLabel('Work email')).toHaveValue('ada@example.com');
    await expect(page.getByLabel('Password')).toHaveValue('');
    expect(page.url()).not.toContain('__err');
  });
});

async function noScript(browser: Browser, body: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await body(await context.newPage());
  await context.close();
}

test("a lead's history tells each change, and the audit log and webhooks are the admin's", async ({ page }) => {
  await logIn(page, demoCompany(10));
  await page.goto('/board');
  const lead = await page.getByTestId('card').first().getAttribute('data-lead-id');
  await page.goto(`/leads/${lead}`);
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  const picker = page.getByTestId('lead-stage');
  const current = (await picker.locator('option:checked').textContent())?.trim();
  const [first, second] = current === 'Won' ? ['Lost', 'Won'] : ['Won', 'Lost'];
  await picker.selectOption({ label: first });
  await expect(page.getByTestId('stage-status')).toContainText(`Moved to ${first}`);
  await page.getByTestId('note-body').fill('Signed today');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('note').first()).toContainText('Signed today');
  const history = page.getByTestId('history');
  await expect(history.getByTestId('history-entry').first()).toContainText('Note added');
  await expect(history).toContainText(`→ ${first}`);
  // The page came back with the lead's new version: a second move is not stale.
  await expect(page.locator('body[data-hydrated=true]')).toBeAttached();
  await page.getByTestId('lead-stage').selectOption({ label: second });
  await expect(page.getByTestId('stage-status')).toContainText(`Moved to ${second}`);

  await page.goto('/settings/audit?kind=note.created');
  await expect(page.getByTestId('audit-event').first()).toContainText('note.created');
  await page.goto('/settings/webhooks');
  await page.getByLabel('URL').fill('https://hooks.example.com/leadsy');
  await page.getByText('lead.stage_changed').click();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByTestId('webhook-secret')).toContainText('whsec_');
  await expect(page.getByTestId('webhook')).toContainText('hooks.example.com/leadsy');
  await page.reload();
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
});
