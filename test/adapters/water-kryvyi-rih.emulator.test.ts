import { useNock } from '../helpers/nock.js';
import { fixedClock } from '../../platform/clock.js';
import type { WaterAccount } from '../../domain/model.js';
import { listen, type RunningServer } from '../../emulators/kit/serve.js';
import { createPopulation } from '../../emulators/population/index.js';
import { createWaterKryvyiRihEmulator, waterKryvyiRihEmulator } from '../../emulators/water-kryvyi-rih/index.js';
import type { Emulator } from '../../emulators/kit/emulator.js';
import { CALL } from './harness.js';
import { ANDRII, OLENA, TOKEN, buildWater } from './water-kryvyi-rih.shared.js';

useNock();

const population = createPopulation({ size: 200, asOf: '2026-11-01' });
const emulatorOptions = { population, credentials: { token: TOKEN }, clock: fixedClock('2026-11-05T09:30:00Z') };

/** Everything a client may rely on in a mapped water account, checked against the emulator's data. */
function checkAccount(account: WaterAccount): void {
  expect(account.accountNumber).toMatch(/^\d{9}$/);
  expect(account.tariff.id).toBe('KRV-VK-2025-07');
  expect(account.bills.map((b) => b.period)).toEqual(population.months(12));
  expect(account.readings.map((r) => r.takenOn)).toEqual(['2026-11-01', ...population.months(11).map((m) => `${m}-01`)]);
  const money = [account.balance, ...account.bills.flatMap((b) => [b.openingBalance, b.accrued, b.paid, b.toPay])];
  for (const m of money) expect(Number.isSafeInteger(m.minorUnits) && m.currency === 'UAH').toBe(true);
  account.bills.forEach((b, i) => {
    expect(b.toPay.minorUnits).toBe(b.openingBalance.minorUnits + b.accrued.minorUnits - b.paid.minorUnits);
    const c = b.consumption!;
    expect(b.accrued.minorUnits).toBe(Math.round((c * 14_796) / 10) + Math.round((c * 10_824) / 10));
    if (i + 1 < account.bills.length) {
      expect(b.openingBalance).toEqual(account.bills[i + 1].toPay);
      // The reading on the 1st closes the month before: their difference is the month's use.
      expect(account.readings[i].value - account.readings[i + 1].value).toBe(c);
    }
  });
  expect(account.balance).toEqual(account.bills[0].toPay);
}

describe('water-kryvyi-rih adapter against its emulator', () => {
  let emulator: Emulator;
  let server: RunningServer;

  beforeAll(async () => {
    emulator = createWaterKryvyiRihEmulator(emulatorOptions);
    server = await listen(emulator.app);
  });
  afterAll(() => server.close());

  it('maps both demo citizens\' accounts, whose identifiers, money and bills add up', async () => {
    const unknown = '1234567890';
    const [olena, andrii, nobody] = await buildWater({ baseUrl: server.url }).accountsByTaxIds([OLENA, ANDRII, unknown], CALL);

    if (!Array.isArray(olena) || !Array.isArray(andrii)) throw new Error('a demo citizen failed');
    expect(nobody).toEqual([]);
    expect(olena.map((a) => a.status)).toEqual(['ACTIVE', 'ACTIVE', 'DISCONNECTED']);
    expect(andrii.map((a) => a.status)).toEqual(['ACTIVE', 'ACTIVE']);
    [...olena, ...andrii].forEach(checkAccount);
    expect(olena[0].address).toBe(`${population.byTaxId(OLENA)!.address.postcode}, м. Кривий Ріг, просп. Металургів, буд. 28, кв. 41`);
    // Rich demo records: Olena is in arrears on two accounts; both have a credit somewhere and an estimated reading.
    expect(olena.map((a) => a.balance.minorUnits > a.bills[0].accrued.minorUnits)).toEqual([true, false, true]);
    expect([...olena, ...andrii].map((a) => a.balance.minorUnits < 0)).toEqual([false, true, false, false, true]);
    expect([olena, andrii].map((accounts) => accounts.some((a) => a.readings.some((r) => r.estimated)))).toEqual([true, true]);
    // Olena's three accounts take two pages; one tariffs call serves everyone.
    expect(emulator.stats.byOperation).toEqual({ accounts: 4, tariffs: 1 });
  });

  it('answers 401 with the utility\'s error body when the bearer token is missing or wrong', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer nope' }];
    for (const headers of attempts) {
      const response = await fetch(`${server.url}/api/v2/tariffs`, { headers });
      expect([response.status, response.headers.get('www-authenticate'), await response.json()]).toEqual([
        401, 'Bearer realm="vodokanal-api"', { error: { code: 'unauthorized', message: 'a valid bearer token is required' } },
      ]);
    }
  });

  it('answers 422 for a malformed owner tax id and an empty page for an unknown one', async () => {
    const get = (q: string) => fetch(`${server.url}/api/v2/accounts?${q}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const bad = await get('owner_tax_id=12345');
    expect([bad.status, await bad.json()]).toEqual([422, { error: { code: 'validation_failed', message: 'owner_tax_id must be 10 digits' } }]);
    const empty = await get('owner_tax_id=1234567890&per_page=50');
    expect([empty.status, await empty.json()]).toEqual([200, { data: [], meta: { page: 1, per_page: 2, total: 0, total_pages: 0 } }]);
  });
});

describe('water-kryvyi-rih emulator rate limit', () => {
  it('answers 429 with Retry-After: 1 beyond the calls allowed per second per token', async () => {
    let nowMs = 10_000;
    const emulator = waterKryvyiRihEmulator({ requestsPerSecond: 2, now: () => nowMs })(emulatorOptions);
    const server = await listen(emulator.app);
    const call = async () => {
      const response = await fetch(`${server.url}/api/v2/tariffs`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return [response.status, response.headers.get('retry-after'), response.status === 429 ? await response.json() : undefined];
    };
    try {
      expect(await call()).toEqual([200, null, undefined]);
      expect(await call()).toEqual([200, null, undefined]);
      expect(await call()).toEqual([429, '1', { error: { code: 'rate_limited', message: 'at most 2 requests per second' } }]);
      nowMs += 1000;
      expect(await call()).toEqual([200, null, undefined]);
    } finally {
      await server.close();
    }
  });
});
