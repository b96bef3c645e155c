import { expect, Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';

/** A fresh demo company with `leads` leads, made with the server's own command; returns its admin's email. */
export function demoCompany(leads: number): string {
  const data = process.env.LEADSY_E2E_DATA!;
  const bin = path.resolve(__dirname, '../..', process.env.LEADSY_E2E_BIN ?? 'target/debug/leadsy-server');
  const out = execFileSync(bin, ['demo-data', '1', String(leads)], {
    env: { ...process.env, DATABASE_URL: `sqlite://${data}/e2e.db`, LEADSY_DATA_DIR: data, RUST_LOG: 'warn' },
  }).toString();
  const email = out.match(/log in as (\S+)/)?.[1];
  if (!email) throw new Error(`demo-data said: ${out}`);
  return email;
}

/** Logs a demo user in (they all share the demo password). */
export async function logIn(page: Page, email: string) {
  await page.goto('/login');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill('demo-password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
}
