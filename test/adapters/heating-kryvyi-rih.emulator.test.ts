import adapter from '../../adapters/heating-kryvyi-rih/index.js';
import { fixedClock } from '../../platform/clock.js';
import { checkRnokpp } from '../../domain/identifiers.js';
import { parseDecimalToMinorUnits } from '../../domain/money.js';
import type { HeatingAccount } from '../../domain/model.js';
import { createHeatingKryvyiRihEmulator } from '../../emulators/heating-kryvyi-rih/index.js';
import { listen, type Emulator, type RunningServer } from '../../emulators/kit/index.js';
import { createPopulation, DEMO_TAX_IDS } from '../../emulators/population/index.js';
import { buildAdapter, CALL } from './harness.js';

const CREDENTIALS = { username: 'vikno', password: 'emulated-heating-password' };
const population = createPopulation({ size: 200, asOf: '2026-11-01' });
let emulator: Emulator;
let server: RunningServer;

beforeAll(async () => {
  emulator = createHeatingKryvyiRihEmulator({ population, credentials: CREDENTIALS, clock: fixedClock('2026-11-05T09:30:00Z') });
  server = await listen(emulator.app);
});
afterAll(() => server.close());

const heating = (secrets = CREDENTIALS) => buildAdapter(adapter, { baseUrl: server.url, secrets }).ops;
const milli = (value: number) => Math.round(value * 1000);
const describeError = (e: unknown) => {
  const { code, partner, message } = e as { code: unknown; partner: unknown; message: string };
  return { code, partner, message };
};

/** Every invariant a mapped heating account must keep; returns what is wrong, [] when nothing is. */
function problems(account: HeatingAccount): string[] {
  const out: string[] = [];
  const say = (ok: boolean, what: string) => void (ok || out.push(`${account.accountNumber}: ${what}`));
  say(/^\d{10}$/.test(account.accountNumber), 'account number format');
  say(account.bills.length === 12, 'twelve bills');
  say(account.readings.length === (account.billingBasis === 'METER' ? 12 : 0), 'readings only with a meter');
  say(account.tariff.id === (account.billingBasis === 'METER' ? 'TG-2025' : 'TP-2025'), 'tariff in force for the basis');
  const money = account.bills.flatMap((b) => [b.openingBalance, b.accrued, b.paid, b.toPay]).concat(account.balance);
  say(money.every((m) => Number.isSafeInteger(m.minorUnits) && m.currency === 'UAH'), 'money in integer kopiyky');
  say(account.balance.minorUnits === account.bills[0].toPay.minorUnits, 'balance is the newest toPay');
  const unitKop = account.tariff.components.reduce((s, c) => s + parseDecimalToMinorUnits(c.price.amount)!, 0);
  account.bills.forEach((b, i) => {
    say(b.toPay.minorUnits === b.openingBalance.minorUnits + b.accrued.minorUnits - b.paid.minorUnits, `${b.period} adds up`);
    say(b.accrued.minorUnits === Math.round((milli(b.consumption!) * unitKop) / 1000), `${b.period} accrued`);
    say(b.unit === (account.billingBasis === 'METER' ? 'GCAL' : 'M2'), `${b.period} unit`);
    const month = Number(b.period.slice(5));
    if (month >= 5 && month <= 9) say(b.accrued.minorUnits === 0, `${b.period} no charge out of season`);
    if (i > 0) say(account.bills[i - 1].openingBalance.minorUnits === b.toPay.minorUnits && account.bills[i - 1].period > b.period, `${b.period} carries over`);
    const [newer, older] = [account.readings[i], account.readings[i + 1]];
    if (newer && older) say(milli(newer.value) - milli(older.value) === milli(b.consumption!) && newer.takenOn > older.takenOn, `${b.period} matches readings`);
  });
  say(account.readings.every((r) => r.takenOn.endsWith('-01') && r.unit === 'GCAL'), 'readings on the 1st');
  return out;
}

describe('heating-kryvyi-rih adapter against its emulator', () => {
  it('maps both demo citizens with rich records', async () => {
    const [olena, andrii] = (await heating().accountsByTaxIds(DEMO_TAX_IDS, CALL)) as HeatingAccount[][];

    const accounts = [...olena, ...andrii];
    expect(accounts.flatMap(problems)).toEqual([]);
    expect(accounts.map((a) => [a.billingBasis, a.status, a.address.includes(', кв. ')])).toEqual([
      ['METER', 'ACTIVE', true],
      ['METER', 'ACTIVE', false],
      ['AREA', 'ACTIVE', true],
    ]);
    expect([olena[0], andrii[0]].every((a) => a.readings.some((r) => r.estimated))).toBe(true);
    expect(accounts.map((a) => Math.sign(a.balance.minorUnits))).toEqual([1, 1, -1]);
  });

  it('maps the whole population, one FindAccountsByTaxId per citizen and one GetAccount per account', async () => {
    const taxIds = population.citizens.map((c) => c.taxId);
    emulator.stats.reset();

    const results = await heating().accountsByTaxIds(taxIds, CALL);

    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    expect(taxIds.every((t) => checkRnokpp(t) === null)).toBe(true);
    const accounts = (results as HeatingAccount[][]).flat();
    expect(accounts.flatMap(problems)).toEqual([]);
    expect(emulator.stats.byOperation).toEqual({ FindAccountsByTaxId: 200, GetAccount: accounts.length, GetTariffs: 1 });
    const customers = results.filter((r) => (r as HeatingAccount[]).length > 0).length / taxIds.length;
    expect(customers).toBeGreaterThan(0.5);
    expect(customers).toBeLessThan(0.7);
    const share = (test: (a: HeatingAccount) => boolean) => accounts.filter(test).length / accounts.length;
    expect(share((a) => a.bills[0].openingBalance.minorUnits > a.bills[0].paid.minorUnits)).toBeGreaterThan(0.15);
    expect(share((a) => a.balance.minorUnits < 0)).toBeGreaterThan(0.05);
    expect(share((a) => a.billingBasis === 'AREA')).toBeGreaterThan(0.1);
    expect(accounts.some((a) => a.status === 'DISCONNECTED')).toBe(true);
  });

  it('answers [] for a valid tax id the population does not hold', async () => {
    expect(population.byTaxId('1234567899')).toBeUndefined();
    expect(await heating().accountsByTaxIds(['1234567899'], CALL)).toEqual([[]]);
  });

  it('answers a wrong password with a wsse:FailedAuthentication fault, read as PARTNER_UNAVAILABLE', async () => {
    const [result] = await heating({ ...CREDENTIALS, password: 'wrong' }).accountsByTaxIds(DEMO_TAX_IDS.slice(0, 1), CALL);
    expect(describeError(result)).toEqual({
      code: 'PARTNER_UNAVAILABLE', partner: 'heating-kryvyi-rih', message: 'the partner refused our credentials (SOAP fault)',
    });
  });

  it('answers a malformed tax id with a soap:Client fault, read as BAD_USER_INPUT', async () => {
    const [result] = await heating().accountsByTaxIds(['12345'], CALL);
    expect(describeError(result)).toEqual({
      code: 'BAD_USER_INPUT', partner: 'heating-kryvyi-rih', message: 'the partner rejected the request (SOAP Client fault)',
    });
  });

  it('answers HTTP 401 with a fault when the security header is missing', async () => {
    const response = await fetch(`${server.url}/billing/BillingService.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://teplo.kr.ua/billing/2011/GetTariffs"' },
      body: '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        + 'xmlns:tb="http://teplo.kr.ua/billing/2011/"><soap:Body><tb:GetTariffs/></soap:Body></soap:Envelope>',
    });
    const text = await response.text();
    expect([response.status, /<faultcode>wsse:InvalidSecurity<\/faultcode>/.test(text)]).toEqual([401, true]);
  });

  it('serves the tariffs the accounts refer to, current and past', async () => {
    const tariffs = await heating().tariffs(CALL);
    expect(tariffs.map((t) => [t.id, t.validFrom, t.validTo, t.components.map((c) => `${c.kind} ${c.price.amount}/${c.price.unit}`)])).toEqual([
      ['TG-2025', '2025-10-01', null, ['HEAT_ENERGY 1362.37/GCAL', 'HEAT_TRANSPORT 204.12/GCAL', 'HEAT_SUPPLY_SERVICE 37.68/GCAL']],
      ['TP-2025', '2025-10-01', null, ['HEATING_BY_AREA 29.68/M2']],
      ['TG-2024', '2024-10-01', '2025-09-30', ['HEAT_ENERGY 1298.44/GCAL', 'HEAT_TRANSPORT 194.51/GCAL', 'HEAT_SUPPLY_SERVICE 35.90/GCAL']],
      ['TP-2024', '2024-10-01', '2025-09-30', ['HEATING_BY_AREA 28.27/M2']],
    ]);
  });
});
