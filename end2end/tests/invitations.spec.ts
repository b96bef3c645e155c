import { test, expect, request } from '@playwright/test';
import { demoCompany } from './demo';

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
  const code = (await created.json()).invitation.code;

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
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/onboarding\/company$/);
  await expect(page.getByTestId('pending-invitations')).toContainText(company.name);
  await page.getByRole('button', { name: `Join ${company.name}` }).click();
  await expect(page).toHaveURL(/\/onboarding\/terms$/);
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Sign and continue' }).click();
  await expect(page).toHaveURL(/\/onboarding\/finish$/);
  await expect(page.getByTestId('wizard-position')).toHaveText('Step 4 of 4');
  await page.getByRole('button', { name: 'Finish and open Leadsy' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('company-name')).toHaveText(company.name);

  await page.goto(`/invitations/${code}`);
  await expect(page.getByTestId('invitation-state')).toContainText('already used');
  await invitee.close();
});
