import type { Page } from 'playwright-core';
import { demoAccount } from '../../identity/demo-accounts.js';
import type { TestStack } from '../helpers/stack.js';

/**
 * Signs a demo account in to a page (`/console/` or `/portal/`) and leaves the page on it.
 *
 * STAND-IN until the OpenID provider is connected: puts a development-issuer token in the page's
 * session storage, as web/shared/auth.ts keeps it. The real version fills «Логін» and «Пароль» at
 * the provider and presses «Увійти»; callers do not change.
 */
export async function signInAs(page: Page, stack: TestStack, app: 'console' | 'portal', login: string): Promise<void> {
  const { principal } = demoAccount(login);
  const token = await stack.token(principal.kind === 'citizen' ? { kind: 'citizen', taxId: principal.taxId } : { ...principal });
  const session = {
    accessToken: token, expiresAt: Date.now() + 3_600_000, role: principal.kind,
    name: principal.kind === 'staff' ? principal.name : principal.taxId, scopes: principal.kind === 'staff' ? principal.scopes : [],
  };
  const origin = new URL(stack.gatewayUrl).origin;
  await page.goto(`${origin}/${app}/`);
  // Runs in the page: the browser's sessionStorage, not a Node global.
  await page.evaluate(([key, value]) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(key, value), [`vikno.session.${app}`, JSON.stringify(session)] as const);
  await page.goto(`${origin}/${app}/`);
}
