import type { Page } from 'playwright-core';
import { demoAccount } from '../../identity/demo-accounts.js';
import type { TestStack } from '../helpers/stack.js';

/**
 * Signs a demo account in to a page (`/console/` or `/portal/`) as a person does and leaves the
 * page on it, signed in: the start page's «Увійти», the provider's form («Логін», «Пароль»,
 * «Увійти»), and back to the page, which completes the sign-in.
 */
export async function signInAs(page: Page, stack: TestStack, app: 'console' | 'portal', login: string): Promise<void> {
  const { password } = demoAccount(login);
  const origin = new URL(stack.gatewayUrl).origin;
  await page.goto(`${origin}/${app}/`);
  await page.getByRole('button', { name: 'Увійти' }).click();
  await page.waitForURL(/\/oidc\/interaction\//);
  await page.getByLabel('Логін').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Увійти' }).click();
  // Back on the page, with the code exchanged and the address bar clean again.
  await page.waitForURL(`${origin}/${app}/`);
  await page.getByRole('button', { name: 'Вийти' }).waitFor();
}
