import { jest } from '@jest/globals';
import { createRequire } from 'node:module';
import type { Browser, Page, Request } from 'playwright-core';
import { declarationOf, DOMAINS } from '../../domain/domains.js';
import { DEFAULT_FAULTS } from '../../emulators/kit/faults.js';
import { memorandumWith, startTestStack, uncached, type TestStack } from '../helpers/stack.js';
import { launchChromium, screenshot } from './chromium.js';
import { signInAs } from './sign-in.js';

/**
 * The staff console as the desk uses it, in Chromium: sign in, enter a ticket and a tax id, read
 * every domain's region; a partner down, a scope missing, a bad number, an extract, the print.
 * One stack and one browser for the file; the stack does not cache, so every look-up asks the
 * partners and a partner that is down shows as down (not as its last copy).
 */

const require = createRequire(import.meta.url);
const TITLES = DOMAINS.map((d) => declarationOf(d).title);
const CITIZENS = ['3111901220', '2660404572'] as const;
const TICKET = 'А-017';

// A browser and a whole stack on a shared machine: more than the suite's default per test.
jest.setTimeout(60_000);

let stack: TestStack;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  // Uncached, and with room for a machine busy running a browser: a slow answer is not a fault here.
  const memorandum = await memorandumWith((entry) => { uncached(entry); entry.connection.timeoutMs = 10_000; });
  stack = await startTestStack({ memorandum, answerBudgetMs: 20_000, demoProvider: true });
  origin = new URL(stack.gatewayUrl).origin;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A page signed in as `login`, at 1280×800 unless told otherwise, with its requests recorded. */
async function consoleAs(login: string, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; requests: Request[] }> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(15_000);
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  await signInAs(page, stack, 'console', login);
  await page.getByText(/^Оновлено о \d{2}:\d{2}$/).waitFor();
  return { page, requests };
}

/** Types a ticket and a tax id and presses Enter; resolves when the citizen's screen is there. */
async function lookUp(page: Page, taxId: string): Promise<void> {
  await page.getByLabel('Номер талону').fill(TICKET);
  await page.getByLabel('РНОКПП').fill(taxId);
  await page.getByLabel('РНОКПП').press('Enter');
  await page.getByRole('heading', { level: 2, name: `Громадянин: РНОКПП ${taxId}` }).waitFor();
}

/** The page's document, in functions that run in the page (this file is compiled without the DOM's types). */
interface PageDocument { document: { activeElement: { id: string; textContent: string | null } | null; documentElement: { scrollWidth: number } } }
const focused = (page: Page) => page.evaluate(() => {
  const active = (globalThis as unknown as PageDocument).document.activeElement;
  return { id: active?.id, text: active?.textContent };
});

const operationsSent = (requests: readonly Request[]) =>
  requests.filter((r) => r.url().endsWith('/graphql')).map((r) => (r.postDataJSON() as { operationName?: string }).operationName);

/** Each region's title, state and first message (the problem it names, if any). */
async function regions(page: Page): Promise<Array<{ title: string; state: string | null; items: number; problem: string | null }>> {
  return page.locator('section.domain').evaluateAll((sections) => sections.map((s) => ({
    title: s.querySelector('h3')!.textContent!,
    state: s.getAttribute('data-state'),
    items: s.querySelectorAll('article.item').length,
    problem: s.querySelector('.problem')?.textContent ?? null,
  })));
}

async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string; nodes: number }>> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('the staff console in a browser', () => {
  it.each(CITIZENS)('shows %s on one screen: who the number says, and every domain\'s region filled, asking no other host', async (taxId) => {
    const { page, requests } = await consoleAs('levchenko');
    await lookUp(page, taxId);
    expect((await focused(page)).id).toBe('citizen-heading');
    const facts = await page.locator('.citizen-header dd').allTextContents();
    expect(facts).toEqual(taxId === '3111901220' ? ['14.03.1985', 'жіноча', TICKET] : ['02.11.1972', 'чоловіча', TICKET]);
    const shown = await regions(page);
    expect(shown.map(({ title, state, problem }) => ({ title, state, problem }))).toEqual(TITLES.map((title) => ({ title, state: 'ok', problem: null })));
    expect(shown.every((r) => r.items > 0)).toBe(true);
    for (const title of TITLES) await page.getByRole('region', { name: title }).waitFor();
    expect(await page.locator('.badge-live').count()).toBe(shown.reduce((n, r) => n + r.items, 0));
    expect(await page.getByRole('img', { name: /^Споживання за 12 міс\./ }).count()).toBeGreaterThan(0);
    expect(requests.filter((r) => !r.url().startsWith(`${origin}/`))).toEqual([]);
    expect(operationsSent(requests)).toEqual(expect.arrayContaining(['PartnerStatuses', 'ConsoleCitizen']));
    expect(operationsSent(requests)).not.toContain('IssueParcelExtract');
    await screenshot(page, `console-citizen-${taxId === CITIZENS[0] ? 'a' : 'b'}`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('refuses a bad tax id as it is typed and on Enter, before any request about a citizen', async () => {
    const { page, requests } = await consoleAs('levchenko');
    await page.getByLabel('Номер талону').fill(TICKET);
    const taxId = page.getByLabel('РНОКПП');
    await taxId.fill('3111901221');
    await page.getByText('Контрольна цифра не збігається: перевірте номер.').waitFor();
    await taxId.press('Enter');
    expect(await taxId.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page)).id).toBe('tax-id');
    await taxId.fill('31119O1220');
    await page.getByText('РНОКПП складається лише з цифр.').waitFor();
    await page.getByRole('button', { name: 'Знайти' }).click();
    expect(await page.locator('#result').textContent()).toBe('');
    expect(operationsSent(requests)).toEqual(['PartnerStatuses']);
    await page.close();
  });

  it('shows staff with only some scopes which regions they may not see, and the rest', async () => {
    const { page } = await consoleAs('bondar');
    await lookUp(page, '2660404572');
    const refused = new Set(['Земельні ділянки', 'Транспортні засоби', 'Утримання будинку']);
    expect((await regions(page)).map(({ title, state, problem }) => ({ title, state, problem }))).toEqual(TITLES.map((title) => (refused.has(title)
      ? { title, state: 'failed', problem: 'Доступ обмежено. Немає доступу: ваш обліковий запис не має дозволу на перегляд цього розділу.' }
      : { title, state: 'ok', problem: null })));
    await screenshot(page, 'console-bondar');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('issues a parcel extract only when asked, offers the document and checks its SHA-256 in the browser', async () => {
    const { page, requests } = await consoleAs('levchenko');
    await lookUp(page, '2660404572');
    const parcels = page.getByRole('region', { name: 'Земельні ділянки' });
    expect(operationsSent(requests)).not.toContain('IssueParcelExtract');
    await parcels.getByRole('button', { name: 'Отримати витяг' }).first().click();
    await parcels.getByText('✓ Перевірено в браузері: хеш збігається з документом.').waitFor();
    const link = parcels.getByRole('link', { name: /^Завантажити витяг/ });
    expect(await link.getAttribute('href')).toMatch(/^blob:/);
    expect((await focused(page)).text).toMatch(/^Завантажити витяг/);
    const stated = await parcels.locator('.hash code').textContent();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const { createHash } = await import('node:crypto');
    const { readFile } = await import('node:fs/promises');
    expect(createHash('sha256').update(await readFile((await download.path())!)).digest('hex')).toBe(stated);
    expect(operationsSent(requests).filter((o) => o === 'IssueParcelExtract')).toHaveLength(1);
    await page.close();
  });

  it('prints the citizen\'s summary on one A4 page: totals per partner, date and time, ticket', async () => {
    const { page } = await consoleAs('levchenko');
    await lookUp(page, '3111901220');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('region', { name: 'Газопостачання' }).isVisible()).toBe(false);
    const summary = page.getByRole('region', { name: 'Підсумок для громадянина' });
    expect(await summary.isVisible()).toBe(true);
    expect(await summary.locator('.summary-meta').textContent()).toMatch(new RegExp(`^Талон: ${TICKET} · РНОКПП 3111901220 · станом на \\d{2}\\.\\d{2}\\.\\d{4}, \\d{2}:\\d{2}$`));
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.close();
  });

  it('is usable 768 px wide, with its own assets under 200 KB compressed', async () => {
    const { page, requests } = await consoleAs('levchenko', { width: 768, height: 1024 });
    await lookUp(page, '2660404572');
    expect(await page.evaluate(() => (globalThis as unknown as PageDocument).document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    const assets = requests.filter((r) => r.url().startsWith(origin) && !r.url().endsWith('/graphql'));
    const sizes = await Promise.all(assets.map(async (r) => (await r.sizes()).responseBodySize + (await r.sizes()).responseHeadersSize));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(200 * 1024);
    await screenshot(page, 'console-768');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('serves the pages\' compiled modules and the one shared domain module, never a source or another domain module', async () => {
    const status = async (file: string) => (await fetch(`${origin}${file}`)).status;
    expect({
      shared: await status('/domain/identifiers.js'), client: await status('/generated/graphql.js'),
      otherDomain: await status('/domain/domains.js'), source: await status('/domain/identifiers.ts'), clientSource: await status('/generated/graphql.ts'),
    }).toEqual({ shared: 200, client: 200, otherDomain: 404, source: 404, clientSource: 404 });
  });

  // Last: a partner down (its circuit may stay open on the stack's fixed clock afterwards).
  it('names a partner that is down in its region, in plain Ukrainian, and shows the other partners\' data', async () => {
    const { page } = await consoleAs('levchenko');
    const vinnytsia = stack.emulators.get('gas-vinnytsia')!.emulator;
    vinnytsia.setFaults({ down: true });
    try {
      await lookUp(page, '2660404572');
    } finally {
      vinnytsia.setFaults(DEFAULT_FAULTS);
    }
    const shown = await regions(page);
    expect(shown.map(({ title, state, problem }) => ({ title, state, problem }))).toEqual(TITLES.map((title) => (title === 'Газопостачання'
      ? { title, state: 'partial', problem: 'Увага. АТ «Вінницька газорозподільна компанія» не відповідає, спробуйте пізніше.' }
      : { title, state: 'ok', problem: null })));
    expect(shown.find((r) => r.title === 'Газопостачання')!.items).toBe(2);
    await page.getByText('Не отримано даних від: АТ «Вінницька газорозподільна компанія». Суми можуть бути неповними.').waitFor();
    await screenshot(page, 'console-partner-down');
    await page.close();
  });
});
