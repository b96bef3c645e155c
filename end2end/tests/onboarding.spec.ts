import { test, expect, Page } from '@playwright/test';
import { mailedLink, verifyEmail } from './demo';
import { fitsAndPassesAxe } from './checks';

const unique = () => `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

async function signUp(page: Page, email: string) {
  await page.goto('/signup');
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Last name').fill('Lima');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/onboarding\/profile$/);
}

/** Walks every step; `check` looks at each step's page as it arrives. */
async function walkTheWizard(page: Page, company: string, check: (page: Page) => Promise<void> = async () => {}) {
  await expect(page.getByTestId('wizard-position')).toHaveText('Step 1 of 6');
  await check(page);
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Last name').fill('Lima');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL(/\/onboarding\/company$/);
  await check(page);
  await page.getByLabel('Company name').fill(company);
  await page.getByRole('button', { name: 'Create company' }).click();

  await expect(page).toHaveURL(/\/onboarding\/terms$/);
  await expect(page.getByTestId('terms-body')).toContainText('Terms of Service');
  await check(page);
  await page.getByRole('button', { name: 'Sign and continue' }).click();
  await expect(page.getByRole('alert').first()).toContainText('tick');
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Sign and continue' }).click();

  await expect(page).toHaveURL(/\/onboarding\/plan$/);
  await check(page);
  await page.getByText('Starter').click();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL(/\/onboarding\/team$/);
  await expect(page.getByTestId('wizard-position')).toHaveText('Step 5 of 6');
  await check(page);
  await page.getByTestId('invite-email').fill(`teammate-${company.replace(/\W/g, '')}@example.com`);
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByTestId('invitation')).toHaveCount(1);
  await page.getByTestId('team-continue').click();

  await expect(page).toHaveURL(/\/onboarding\/finish$/);
  await expect(page.getByTestId('finish-summary')).toContainText(company);
  await check(page);
  await page.getByRole('button', { name: 'Finish and open Leadsy' }).click();

  // A new company's admin lands on what to set up first, each step a link.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('getting-started')).toBeVisible();
  await check(page);
  await page.reload();
  await expect(page.getByRole('link', { name: /Add where your leads come from/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Invite your team \(done\)/ })).toBeVisible();
  await page.goto('/settings/company');
  await expect(page.getByLabel('Company name')).toHaveValue(company);
  await page.goto('/settings/plan');
  await expect(page.getByTestId('plan-status')).toContainText('Starter');
}

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);

test('sign up, walk the whole wizard, sign the terms, finish, and stay finished', async ({ page }) => {
  const id = unique();
  await signUp(page, `ana-${id}@example.com`);
  await page.getByLabel('Profile picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.locator('img[alt="Ana Lima"]').first()).toBeVisible();
  await page.getByLabel('Profile picture').setInputFiles({ name: 'me.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg/>') });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText('must be a png, jpeg or webp image')).toBeVisible();
  await walkTheWizard(page, `Acme ${id}`);
  await page.goto('/onboarding/profile');
  await expect(page).toHaveURL(/\/$/);
  await page.screenshot({ path: 'end2end/test-results/getting-started.png', fullPage: true });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the same journey works with plain form posts', async ({ page }) => {
    const id = unique();
    await signUp(page, `nojs-${id}@example.com`);
    await walkTheWizard(page, `NoJS ${id}`);
  });
});

test('the wizard resumes where the user left off after logging in again', async ({ page }) => {
  const id = unique();
  const email = `resume-${id}@example.com`;
  await signUp(page, email);
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Last name').fill('Lima');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/onboarding\/company$/);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/onboarding\/company$/);
  await expect(page.getByTestId('wizard-position')).toHaveText('Step 2 of 6');
});

test('logging in with a wrong password shows a clear error', async ({ page }) => {
  const id = unique();
  await signUp(page, `wrong-${id}@example.com`);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Email').fill(`wrong-${id}@example.com`);
  await page.getByLabel('Password').fill('not my password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('form-error')).toHaveText('the email or password is incorrect');
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});

test('the API reference renders from the served OpenAPI document', async ({ page }) => {
  await page.goto('/api-docs');
  await expect(page.getByTestId('api-reference')).toContainText('/users/{user_id}/onboarding/finish');
  await expect(page.getByRole('heading', { name: 'Global' })).toBeVisible();
});

test('a forgotten password is reset from the mailed link', async ({ page }) => {
  const id = unique();
  const email = `reset-${id}@example.com`;
  await signUp(page, email);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('reset link is on its way');

  const link = await mailedLink(email, '/password/reset?token=');
  await page.goto(link);
  await page.getByLabel('New password').fill('a fresh new password');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page).toHaveURL(/\/onboarding\/profile$/);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a fresh new password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/onboarding\/profile$/);
});

test('the account page verifies the email, changes the password and signs out the other sessions', async ({ page, browser }) => {
  const email = `account-${unique()}@example.com`;
  await signUp(page, email);
  await expect(page.getByTestId('verify-banner')).toContainText(email);
  await page.getByTestId('current-user').click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('verification-state')).toContainText('Not verified yet');
  await page.getByTestId('verification-state').getByRole('button', { name: 'Send the link again' }).click();
  await expect(page.getByTestId('verification-state')).toContainText('A new link is on its way');
  await verifyEmail(page, email);
  await page.goto('/account');
  await expect(page.getByTestId('verification-state')).toHaveText('Verified.');
  await expect(page.getByTestId('verify-banner')).toHaveCount(0);

  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await other.goto('/login');
  await other.getByLabel('Email').fill(email);
  await other.getByLabel('Password').fill('correct horse battery');
  await other.getByRole('button', { name: 'Log in' }).click();
  await expect(other).toHaveURL(/\/onboarding\/profile$/);

  const password = page.locator('form', { has: page.getByRole('button', { name: 'Change password' }) });
  await password.getByLabel('Current password').fill('not my password');
  await password.getByLabel('New password').fill('a brand new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert').first()).toContainText('incorrect');
  await password.getByLabel('Current password').fill('correct horse battery');
  await password.getByLabel('New password').fill('a brand new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-changed')).toBeVisible();
  await page.reload();
  await expect(page).toHaveURL(/\/account/);
  await other.reload();
  await expect(other).toHaveURL(/\/login$/);
  await elsewhere.close();
});

test('every step of the wizard fits a 390 px phone and passes axe', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
  await signUp(page, `phone-${unique()}@example.com`);
  await walkTheWizard(page, `Phone ${unique()}`, fitsAndPassesAxe);
});
