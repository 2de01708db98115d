import type { Browser } from 'playwright-core';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { launchChromium, recordRequests, screenshot } from './chromium.js';
import { signInAs } from './sign-in.js';

/** Sign-in and sign-out in a browser, through the demo OpenID provider, as people do them (each a few page loads: 60 s on a busy machine). */
let stack: TestStack;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  stack = await startTestStack({ demoProvider: true });
  origin = stack.origin;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** axe-core's serious and critical violations on the page, by rule id. */
async function accessibilityProblems(page: import('playwright-core').Page): Promise<string[]> {
  await page.addScriptTag({ path: path.join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

const storage = (page: import('playwright-core').Page) =>
  page.evaluate(() => Object.keys((globalThis as unknown as { sessionStorage: Record<string, string> }).sessionStorage));

describe('signing in to the console', () => {
  it('goes from «Увійти» to the provider form and back, signed in, with the address bar clean and only the gateway origin asked', async () => {
    // The provider's pages allow no script: axe is injected past their CSP.
    const page = await browser.newPage({ bypassCSP: true });
    const requests = recordRequests(page);
    await page.goto(`${origin}/console/`);
    await page.getByRole('button', { name: 'Увійти' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    expect(await page.locator('html').getAttribute('lang')).toBe('uk');
    await screenshot(page, 'provider-login');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Логін').fill('levchenko');
    await page.getByLabel('Пароль').fill('wrong password');
    await page.getByRole('button', { name: 'Увійти' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Неправильний логін або пароль.');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Пароль').fill('vikno-demo-1');
    await page.getByRole('button', { name: 'Увійти' }).click();
    await page.waitForURL(`${origin}/console/`);
    await page.getByRole('button', { name: 'Вийти' }).waitFor();
    expect(page.url()).toBe(`${origin}/console/`);
    expect(await page.locator('#who span').textContent()).toBe('Ірина Левченко');
    expect(await storage(page)).toEqual(expect.arrayContaining(['vikno.session.console', 'vikno.id-token.console']));
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    await page.close();
  }, 60_000);

  it('signs out: sessionStorage is cleared, the provider session ends, and a reload shows the start page', async () => {
    const page = await browser.newPage();
    await signInAs(page, stack, 'console', 'bondar');
    expect(await page.locator('#who span').textContent()).toBe('Олег Бондар');
    await page.getByRole('button', { name: 'Вийти' }).click();
    await page.waitForURL(`${origin}/console/`);
    await page.getByRole('button', { name: 'Увійти' }).waitFor();
    expect(await storage(page)).toEqual([]);
    await page.reload();
    await page.getByRole('button', { name: 'Увійти' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Консоль працівника ЦНАП');
    // The provider asks for the password again: its session ended too.
    await page.getByRole('button', { name: 'Увійти' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByLabel('Пароль').waitFor();
    await page.close();
  }, 60_000);

  it('keeps a citizen out of the console, saying why', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/console/`);
    await page.getByRole('button', { name: 'Увійти' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByLabel('Логін').fill('3111901220');
    await page.getByLabel('Пароль').fill('vikno-demo-3');
    await page.getByRole('button', { name: 'Увійти' }).click();
    await page.waitForURL(`${origin}/console/`);
    expect(await page.getByRole('alert').textContent()).toBe('Консоль — лише для працівників ЦНАП: увійдіть службовим обліковим записом.');
    expect(await storage(page)).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('signing in to the citizen page', () => {
  it('signs a demo citizen in through the same provider', async () => {
    const page = await browser.newPage();
    await signInAs(page, stack, 'portal', '3111901220');
    expect(await page.locator('#who').textContent()).toContain('3111901220');
    await screenshot(page, 'portal-signed-in');
    await page.close();
  }, 60_000);
});
