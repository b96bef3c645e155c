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
  await expect(page).toHaveURL(/\/board$/);
}

/** The newest link in the outbox mailed to `email` whose path starts with `prefix`, waiting for mail sent in the background. */
export async function mailedLink(email: string, prefix: string): Promise<string> {
  const fs = await import('node:fs');
  const outbox = path.join(process.env.LEADSY_E2E_DATA ?? 'data', 'outbox');
  const pattern = new RegExp(`https?://\\S+${prefix.replace(/[?]/g, '\\?')}[0-9a-zA-Z_]+`);
  let link: string | undefined;
  await expect
    .poll(() => {
      const mails = fs.existsSync(outbox) ? fs.readdirSync(outbox).sort() : [];
      link = mails
        .map((f) => fs.readFileSync(path.join(outbox, f), 'utf8'))
        .map((m) => m.replace(/=\r\n/g, '').replace(/=3D/g, '='))
        .filter((m) => m.split('\r\n').includes(`To: ${email}`))
        .map((m) => m.match(pattern)?.[0])
        .filter((l): l is string => !!l)
        .pop();
      return link;
    }, { message: `a mail to ${email} with ${prefix}` })
    .toBeTruthy();
  return link!;
}

/** Opens the verification link mailed to `email` and confirms it. */
export async function verifyEmail(page: Page, email: string) {
  await page.goto(await mailedLink(email, '/verify-email?token='));
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByTestId('email-verified')).toBeVisible();
}
