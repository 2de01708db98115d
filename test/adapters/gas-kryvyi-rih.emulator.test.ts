import adapter from '../../adapters/gas-kryvyi-rih/index.js';
import { fixedClock } from '../../platform/clock.js';
import { checkEic, checkRnokpp } from '../../domain/identifiers.js';
import { parseDecimalToMinorUnits } from '../../domain/money.js';
import type { GasAccount } from '../../domain/model.js';
import { createGasKryvyiRihEmulator } from '../../emulators/gas-kryvyi-rih/index.js';
import { listen, type Emulator, type RunningServer } from '../../emulators/kit/index.js';
import { createPopulation, DEMO_TAX_IDS } from '../../emulators/population/index.js';
import { buildAdapter, CALL } from './harness.js';

const API_KEY = 'emulated-gas-key';
const population = createPopulation({ size: 200, asOf: '2026-11-01' });
let emulator: Emulator;
let server: RunningServer;

beforeAll(async () => {
  emulator = createGasKryvyiRihEmulator({ population, credentials: { apiKey: API_KEY }, clock: fixedClock('2026-11-05T09:30:00Z') });
  server = await listen(emulator.app);
});
afterAll(() => server.close());

const gas = (apiKey = API_KEY) => buildAdapter(adapter, { baseUrl: server.url, secrets: { apiKey } }).ops;

function priceKop(account: GasAccount, kind: string): number {
  return parseDecimalToMinorUnits(account.tariff.components.find((c) => c.kind === kind)!.price.amount)!;
}

/** Every invariant a mapped gas account must keep; returns what is wrong, [] when nothing is. */
function problems(account: GasAccount): string[] {
  const out: string[] = [];
  const say = (ok: boolean, what: string) => void (ok || out.push(`${account.accountNumber}: ${what}`));
  say(checkEic(account.eic) === null, 'EIC check');
  say(/^\d{10}$/.test(account.accountNumber), 'account number format');
  say(account.tariff.id === 'KRG-HH-2025-05', 'tariff in force');
  say(account.bills.length === 12 && account.readings.length === 12, 'twelve bills and readings');
  const money = account.bills.flatMap((b) => [b.openingBalance, b.accrued, b.paid, b.toPay]).concat(account.balance);
  say(money.every((m) => Number.isSafeInteger(m.minorUnits) && m.currency === 'UAH'), 'money in integer kopiyky');
  say(account.balance.minorUnits === account.bills[0].toPay.minorUnits, 'balance is the newest toPay');
  const distribution = Math.round((account.annualConsumptionM3 * priceKop(account, 'GAS_DISTRIBUTION')) / 12);
  account.bills.forEach((b, i) => {
    say(b.toPay.minorUnits === b.openingBalance.minorUnits + b.accrued.minorUnits - b.paid.minorUnits, `${b.period} adds up`);
    say(b.accrued.minorUnits === b.consumption! * priceKop(account, 'GAS_SUPPLY') + distribution, `${b.period} accrued`);
    if (i < 11) say(b.consumption === account.readings[i].value - account.readings[i + 1].value, `${b.period} matches readings`);
    if (i > 0) say(account.bills[i - 1].openingBalance.minorUnits === b.toPay.minorUnits, `${b.period} carries over`);
    if (i > 0) say(account.bills[i - 1].period > b.period && account.readings[i - 1].takenOn > account.readings[i].takenOn, 'newest first');
  });
  say(account.readings.every((r) => r.takenOn.endsWith('-01') && r.unit === 'M3'), 'readings on the 1st');
  return out;
}

describe('gas-kryvyi-rih adapter against its emulator', () => {
  it('maps both demo citizens with rich records', async () => {
    const [olena, andrii] = await gas().accountsByTaxIds(DEMO_TAX_IDS, CALL);

    expect(olena).toHaveLength(1);
    expect(andrii).toHaveLength(2);
    const accounts = [...(olena as GasAccount[]), ...(andrii as GasAccount[])];
    expect(accounts.flatMap(problems)).toEqual([]);
    expect(accounts.map((a) => a.status)).toEqual(['ACTIVE', 'ACTIVE', 'DISCONNECTED']);
    expect(accounts.every((a) => a.readings.some((r) => r.estimated))).toBe(true);
    expect(accounts.map((a) => Math.sign(a.balance.minorUnits))).toEqual([1, -1, 1]);
  });

  it('maps the whole population in batches of 50 with believable shares', async () => {
    const taxIds = population.citizens.map((c) => c.taxId);
    emulator.stats.reset();

    const results = await gas().accountsByTaxIds(taxIds, CALL);

    expect(emulator.stats.byOperation.batchLookup).toBe(4);
    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    expect(taxIds.every((t) => checkRnokpp(t) === null)).toBe(true);
    const accounts = (results as GasAccount[][]).flat();
    expect(accounts.flatMap(problems)).toEqual([]);
    const share = (n: number) => n / accounts.length;
    const customers = results.filter((r) => (r as GasAccount[]).length > 0).length / taxIds.length;
    expect(customers).toBeGreaterThan(0.75);
    expect(customers).toBeLessThan(0.95);
    expect(share(accounts.filter((a) => a.bills[0].openingBalance.minorUnits > a.bills[0].paid.minorUnits).length)).toBeGreaterThan(0.15);
    expect(share(accounts.filter((a) => a.balance.minorUnits < 0).length)).toBeGreaterThan(0.05);
    expect(accounts.some((a) => a.status === 'DISCONNECTED')).toBe(true);
  });

  it('answers [] for a valid tax id the population does not hold', async () => {
    expect(population.byTaxId('1234567899')).toBeUndefined();
    expect(await gas().accountsByTaxIds(['1234567899'], CALL)).toEqual([[]]);
  });

  it('refuses a wrong API key with HTTP 401, which the adapter reports as PARTNER_UNAVAILABLE', async () => {
    const results = await gas('wrong-key').accountsByTaxIds(DEMO_TAX_IDS, CALL);
    const refused = { code: 'PARTNER_UNAVAILABLE', partner: 'gas-kryvyi-rih', message: 'the partner refused our credentials (HTTP 401)' };
    expect(results.map((e) => ({ code: (e as { code?: string }).code, partner: (e as { partner?: string }).partner, message: (e as Error).message })))
      .toEqual(DEMO_TAX_IDS.map(() => refused));
  });

  it('rejects more than 50 tax ids in one call with HTTP 400 and an error body', async () => {
    const response = await fetch(`${server.url}/api/v1/accounts:batchLookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ taxIds: Array.from({ length: 51 }, (_, i) => String(1_000_000_000 + i)) }),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400, body: { error: { code: 'INVALID_ARGUMENT', message: 'at most 50 taxIds per call' } },
    });
  });

  it('rejects a body that is not JSON with HTTP 400 and an error body', async () => {
    const response = await fetch(`${server.url}/api/v1/accounts:batchLookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: '{"taxIds": [',
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400, body: { error: { code: 'INVALID_ARGUMENT', message: 'the body is not valid JSON' } },
    });
  });

  it('serves the tariffs the accounts refer to, current and past', async () => {
    const tariffs = await gas().tariffs(CALL);
    expect(tariffs.map((t) => [t.id, t.validFrom, t.validTo, t.components.map((c) => c.price.amount)])).toEqual([
      ['KRG-HH-2025-05', '2025-05-01', null, ['7.96', '1.26']],
      ['KRG-HH-2024-01', '2024-01-01', '2025-04-30', ['7.96', '1.18']],
    ]);
  });
});
