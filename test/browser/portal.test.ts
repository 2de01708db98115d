import { jest } from '@jest/globals';
import { createRequire } from 'node:module';
import type { Browser, Page, Request } from 'playwright-core';
import { DEFAULT_FAULTS } from '../../emulators/kit/faults.js';
import { gql, startTestStack, TEST_NOW, type TestStack } from '../helpers/stack.js';
import { launchChromium, screenshot } from './chromium.js';
import { signInAs } from './sign-in.js';

/**
 * The citizen's reference page in Chromium: a demo citizen signed in sees their accounts, parcels
 * and vehicles, and who looked at their data, newest first, a page at a time. This file's stack
 * caches as the memorandum says (unlike the console's own tests), so the console's cached and stale
 * badges are checked here too, on a clock the test moves.
 */

const require = createRequire(import.meta.url);
const TAX_ID = '3111901220';
/** Staff look-ups made before the citizen opens the page: more than one page of the log. */
const TICKETS = Array.from({ length: 12 }, (_, i) => `Талон Б-${String(i + 1).padStart(3, '0')}`);

jest.setTimeout(60_000);

/** The stack's clock: ages of cached copies are read from it, so no test waits for time to pass. */
const clock = { at: Date.parse(TEST_NOW), now: () => new Date(clock.at) };

let stack: TestStack;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  // Room for a machine busy running a browser: a slow answer is not a fault here.
  stack = await startTestStack({ answerBudgetMs: 20_000, clock, demoProvider: true });
  origin = new URL(stack.gatewayUrl).origin;
  browser = await launchChromium();
  for (const ticket of TICKETS) {
    const answer = await gql(stack.gatewayUrl, 'query ($taxId: ID!) { citizen(taxId: $taxId) { taxId } }', { taxId: TAX_ID }, { 'x-purpose': encodeURIComponent(ticket) });
    expect(answer).toEqual({ data: { citizen: { taxId: TAX_ID } } });
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The access log's rows as the page shows them: purpose and action. */
const logRows = (page: Page) => page.getByRole('region', { name: 'Хто переглядав мої дані' }).locator('tbody tr')
  .evaluateAll((rows) => rows.map((r) => ({ purpose: r.children[2].textContent, action: r.children[3].textContent })));

describe('the citizen page in a browser', () => {
  it('shows a signed-in citizen their accounts, parcels and vehicles, and who looked at their data, newest first, paged', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    await signInAs(page, stack, 'portal', TAX_ID);
    await page.getByRole('heading', { level: 1, name: 'Мої рахунки, ділянки та транспорт' }).waitFor();
    const accounts = page.getByRole('region', { name: 'Мої рахунки' });
    await accounts.locator('tbody tr').first().waitFor();
    expect(await accounts.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('region', { name: 'Мої земельні ділянки' }).locator('li').count()).toBeGreaterThan(0);
    expect(await page.getByRole('region', { name: 'Мій транспорт' }).locator('li').count()).toBeGreaterThan(0);

    const log = page.getByRole('region', { name: 'Хто переглядав мої дані' });
    await log.getByText('Сторінка 1').waitFor();
    const first = await logRows(page);
    expect(first).toHaveLength(10);
    // The newest staff look-up comes first among the staff's (the page's own look-up may be newer still).
    const staffFirst = first.filter((r) => r.purpose !== '—').map((r) => r.purpose);
    expect(staffFirst.slice(0, 3)).toEqual(expect.arrayContaining([TICKETS[11], TICKETS[10]]));
    expect(staffFirst.indexOf(TICKETS[11])).toBeLessThan(staffFirst.indexOf(TICKETS[10]));
    await screenshot(page, 'portal');

    await log.getByRole('button', { name: 'Далі' }).click();
    await log.getByText('Сторінка 2').waitFor();
    const second = await logRows(page);
    expect(second.at(-1)).toEqual({ purpose: TICKETS[0], action: 'Перегляд даних' });
    expect(new Set([...first, ...second].map((r) => r.purpose)).size).toBeGreaterThanOrEqual(TICKETS.length);

    const ops = requests.filter((r) => r.url().endsWith('/graphql')).map((r) => (r.postDataJSON() as { operationName: string }).operationName);
    expect(ops).toEqual(['MyOverview', 'MyAccessLog', 'MyAccessLog']);
    expect(requests.filter((r) => !r.url().startsWith(`${origin}/`))).toEqual([]);

    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe;
      return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.close();
  });
});

describe('the console on a stack that caches', () => {
  it('marks records served from the cache with their time, and a partner\'s last copy as stale with the reason', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    await signInAs(page, stack, 'console', 'levchenko');
    await page.getByText(/^Оновлено о \d{2}:\d{2}$/).waitFor();
    await page.getByLabel('Номер талону').fill('А-018');
    await page.getByLabel('РНОКПП').fill('2660404572');
    await page.getByLabel('РНОКПП').press('Enter');
    await page.locator('.badge-live').first().waitFor();
    const badges = () => page.locator('.badge').allTextContents();
    const live = await badges();
    expect(new Set(live)).toEqual(new Set(['● наживо']));

    // TEST_NOW is 09:00 UTC: 11:00 in Kyiv in November.
    await page.getByRole('button', { name: 'Знайти' }).click();
    await page.locator('.badge-cached').first().waitFor();
    expect(await badges()).toEqual(live.map(() => '◐ кешовано о 11:00'));

    clock.at += 61_000;
    const vehicles = stack.emulators.get('vehicles-mvs')!.emulator;
    vehicles.setFaults({ down: true });
    try {
      await page.getByRole('button', { name: 'Знайти' }).click();
      await page.locator('.badge-stale').first().waitFor();
    } finally {
      vehicles.setFaults(DEFAULT_FAULTS);
    }
    expect(await page.getByRole('region', { name: 'Транспортні засоби' }).locator('.badge').allTextContents()).toEqual([
      '○ застаріле з 11:00 — Головний сервісний центр МВС зараз не відповідає, показано останню отриману копію',
      '○ застаріле з 11:00 — Головний сервісний центр МВС зараз не відповідає, показано останню отриману копію',
    ]);
    expect(await page.getByRole('region', { name: 'Газопостачання' }).locator('.badge').first().textContent()).toBe('● наживо');
    await screenshot(page, 'console-stale');
    await page.close();
  });
});
