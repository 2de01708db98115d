import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { launchChromium, recordRequests, screenshot } from './chromium.js';
import { signInAs } from './sign-in.js';

let stack: TestStack;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  stack = await startTestStack({ demoProvider: true });
  origin = new URL(stack.gatewayUrl).origin;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the console in a browser', () => {
  it('opens on a start page with the sign-in button, asking no host but the gateway', async () => {
    const page = await browser.newPage();
    const requests = recordRequests(page);
    await page.goto(`${origin}/console/`);
    await page.getByRole('button', { name: 'Увійти' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Консоль працівника ЦНАП');
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    await screenshot(page, 'console-start');
    await page.close();
  });

  it('greets a signed-in member of staff by name', async () => {
    const page = await browser.newPage();
    await signInAs(page, stack, 'console', 'levchenko');
    await page.getByRole('button', { name: 'Вийти' }).waitFor();
    expect(await page.locator('#who span').textContent()).toBe('Ірина Левченко');
    await page.close();
  });

  it('serves no TypeScript source', async () => {
    const response = await fetch(`${origin}/console/main.ts`);
    expect(response.status).toBe(404);
  });
});
