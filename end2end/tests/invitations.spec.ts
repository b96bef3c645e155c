import { test, expect, request } from '@playwright/test';
import { demoCompany, mailedLink, verifyEmail } from './demo';

test('an invitee opens the link, signs up, joins in the wizard and sees the company', async ({ browser, baseURL }) => {
  const admin = demoCompany(5);
  const api = await request.newContext({ baseURL });
  const login = await api.post('/api/v1/users/login', { data: { email: admin, password: 'demo-password-1' } });
  const token = (await login.json()).token;
  const auth = { Authorization: `Bearer ${token}` };
  const company = (await (await api.get('/api/v1/companies', { headers: auth })).json()).companies[0];
  const accesses = (await (await api.get('/api/v1/accesses', { headers: auth })).json()).accesses;
  const rep = accesses.find((a: { key: string }) => a.key === 'sales_rep').id;
  const email = `invitee-${Date.now()}@example.com`;
  const created = await api.post(`/api/v1/companies/${company.id}/invitations`, {
    headers: auth,
    data: { email, access_id: rep },
  });
  expect(created.status()).toBe(201);
  expect((await created.json()).invitation.code).toBeNull();
  const link = await mailedLink(email, '/invitations/');
  const code = link.split('/invitations/')[1];

  const invitee = await browser.newContext();
  const page = await invitee.newPage();
  await page.goto(`/invitations/${code}`);
  await expect(page.getByRole('heading', { name: `Join ${company.name} on Leadsy` })).toBeVisible();
  await expect(page.getByTestId('invitation-state')).toContainText(email);
  await page.getByRole('link', { name: 'Sign up' }).click();
  await page.getByLabel('First name').fill('Ivy');
  await page.getByLabel('Last name').fill('Invitee');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/onboarding\/profile$/);
  await expect(page.getByTestId('verify-banner')).toContainText(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/onboarding\/company$/);
  // Until the address is proved, nothing is offered: whoever signed up may not own it.
  await expect(page.getByRole('heading', { name: 'Create your company' })).toBeVisible();
  await expect(page.getByTestId('pending-invitations')).toHaveCount(0);
  await verifyEmail(page, email);
  await page.goto('/onboarding/company');
  await expect(page.getByTestId('verify-banner')).toHaveCount(0);
  await expect(page.getByTestId('pending-invitations')).toContainText(company.name);
  await page.getByRole('button', { name: `Join ${company.name}` }).click();
  await expect(page).toHaveURL(/\/onboarding\/terms$/);
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Sign and continue' }).click();
  await expect(page).toHaveURL(/\/onboarding\/finish$/);
  await expect(page.getByTestId('wizard-position')).toHaveText('Step 4 of 4');
  await page.getByRole('button', { name: 'Finish and open Leadsy' }).click();
  // Someone joining a team lands on the board.
  await expect(page).toHaveURL(/\/board$/);
  await expect(page.getByTestId('board')).toBeVisible();

  await page.goto(`/invitations/${code}`);
  await expect(page.getByTestId('invitation-state')).toContainText('already used');
  await invitee.close();
});
