import iconv from 'iconv-lite';
import adapter from '../../adapters/gas-vinnytsia/index.js';
import { fixedClock } from '../../platform/clock.js';
import type { ViknoError } from '../../domain/errors.js';
import { checkEic, checkRnokpp } from '../../domain/identifiers.js';
import { parseDecimalToMinorUnits } from '../../domain/money.js';
import type { GasAccount, Tariff } from '../../domain/model.js';
import { createGasVinnytsiaEmulator } from '../../emulators/gas-vinnytsia/index.js';
import { listen, type Emulator, type RunningServer } from '../../emulators/kit/index.js';
import { createPopulation, DEMO_TAX_IDS } from '../../emulators/population/index.js';
import { buildAdapter, CALL } from './harness.js';

const LOGIN = 'vikno';
const PASSWORD = 'emulated-gas-vinnytsia-password';
const population = createPopulation({ size: 200, asOf: '2026-11-01' });
let emulator: Emulator;
let server: RunningServer;
let tariffs: Tariff[];

beforeAll(async () => {
  emulator = createGasVinnytsiaEmulator({ population, credentials: { login: LOGIN, password: PASSWORD }, clock: fixedClock('2026-11-05T09:30:00Z') });
  server = await listen(emulator.app);
  tariffs = await gas().tariffs(CALL);
});
afterAll(() => server.close());

const gas = (password = PASSWORD) => buildAdapter(adapter, { baseUrl: server.url, secrets: { login: LOGIN, password } }).ops;
const auth = () => `Basic ${Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64')}`;
const litres = (m3: number) => Math.round(m3 * 1000);

/** The price of a component in the tariff in force in a billing month, in kopiyky. */
function priceKop(period: string, kind: string): number {
  const day = `${period}-01`;
  const tariff = tariffs.find((t) => t.validFrom <= day && (t.validTo === null || day <= t.validTo))!;
  return parseDecimalToMinorUnits(tariff.components.find((c) => c.kind === kind)!.price.amount)!;
}

/** Every invariant a mapped gas account must keep; returns what is wrong, [] when nothing is. */
function problems(account: GasAccount): string[] {
  const out: string[] = [];
  const say = (ok: boolean, what: string) => void (ok || out.push(`${account.accountNumber}: ${what}`));
  say(checkEic(account.eic) === null && account.eic.startsWith('56Z'), 'gas EIC check');
  say(/^05\d{8}$/.test(account.accountNumber), 'account number format');
  say(account.tariff.id === '000000014', 'tariff in force');
  say(/^\d{5}, Вінницька обл., [^,]+ р-н, с\. [^,]+, (вул|пров)\. [^,]+, буд\. \d+$/.test(account.address), 'a village address in the oblast');
  say(account.bills.length === 12 && account.readings.length === 12, 'twelve bills and readings');
  const money = account.bills.flatMap((b) => [b.openingBalance, b.accrued, b.paid, b.toPay]).concat(account.balance);
  say(money.every((m) => Number.isSafeInteger(m.minorUnits) && m.currency === 'UAH'), 'money in integer kopiyky');
  say(account.balance.minorUnits === account.bills[0].toPay.minorUnits, 'balance is the newest toPay');
  account.bills.forEach((b, i) => {
    say(b.toPay.minorUnits === b.openingBalance.minorUnits + b.accrued.minorUnits - b.paid.minorUnits, `${b.period} adds up`);
    const supply = Math.round((litres(b.consumption!) * priceKop(b.period, 'GAS_SUPPLY')) / 1000);
    const distribution = Math.round((account.annualConsumptionM3 * priceKop(b.period, 'GAS_DISTRIBUTION')) / 12);
    say(b.accrued.minorUnits === supply + distribution, `${b.period} accrued at the tariff of its month`);
    if (i < 11) say(litres(b.consumption!) === litres(account.readings[i].value) - litres(account.readings[i + 1].value), `${b.period} matches readings`);
    if (i > 0) say(account.bills[i - 1].openingBalance.minorUnits === b.toPay.minorUnits, `${b.period} carries over`);
    if (i > 0) say(account.bills[i - 1].period > b.period && account.readings[i - 1].takenOn > account.readings[i].takenOn, 'newest first');
  });
  say(account.readings.every((r) => r.takenOn.endsWith('-01') && r.unit === 'M3'), 'readings on the 1st');
  return out;
}

describe('gas-vinnytsia adapter against its emulator', () => {
  it('maps both demo citizens with rich records', async () => {
    const [olena, andrii] = await gas().accountsByTaxIds(DEMO_TAX_IDS, CALL);

    expect(olena).toHaveLength(1);
    expect(andrii).toHaveLength(2);
    const accounts = [...(olena as GasAccount[]), ...(andrii as GasAccount[])];
    expect(accounts.flatMap(problems)).toEqual([]);
    expect(accounts.map((a) => a.status)).toEqual(['ACTIVE', 'ACTIVE', 'DISCONNECTED']);
    expect(accounts.every((a) => a.readings.some((r) => r.estimated))).toBe(true);
    expect(accounts.map((a) => Math.sign(a.balance.minorUnits))).toEqual([1, -1, 1]);
    // The twelve months straddle the tariff change of 01.01.2026: both tariffs were billed.
    expect(new Set(accounts[0].bills.map((b) => priceKop(b.period, 'GAS_DISTRIBUTION')))).toEqual(new Set([152, 176]));
  });

  it('maps the whole population in calls of 100 with believable shares', async () => {
    const taxIds = population.citizens.map((c) => c.taxId);
    emulator.stats.reset();

    const results = await gas().accountsByTaxIds(taxIds, CALL);

    // Two export calls for 200 tax ids, and the tariff catalogue once for all the accounts.
    expect(emulator.stats.byOperation).toEqual({ abonents: 2, tariffs: 1 });
    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    expect(taxIds.every((t) => checkRnokpp(t) === null)).toBe(true);
    const accounts = (results as GasAccount[][]).flat();
    expect(accounts.flatMap(problems)).toEqual([]);
    expect(new Set(accounts.map((a) => a.accountNumber)).size).toBe(accounts.length);
    const customers = results.filter((r) => (r as GasAccount[]).length > 0).length;
    expect(customers).toBeGreaterThanOrEqual(4); // ~4 % of 198, and the two demo citizens
    expect(customers).toBeLessThanOrEqual(20);
    expect(accounts.some((a) => a.balance.minorUnits < 0)).toBe(true);
    expect(accounts.some((a) => a.status === 'DISCONNECTED')).toBe(true);
  });

  it('answers [] for a valid tax id the population does not hold', async () => {
    expect(population.byTaxId('1234567899')).toBeUndefined();
    expect(await gas().accountsByTaxIds(['1234567899'], CALL)).toEqual([[]]);
  });

  it('refuses a wrong password with HTTP 401, which the adapter reports as PARTNER_UNAVAILABLE', async () => {
    const results = await gas('wrong').accountsByTaxIds(DEMO_TAX_IDS, CALL);
    const refused = { code: 'PARTNER_UNAVAILABLE', partner: 'gas-vinnytsia', message: 'the partner refused our credentials (HTTP 401)' };
    expect(results.map((e) => ({ code: (e as ViknoError).code, partner: (e as ViknoError).partner, message: (e as ViknoError).message }))).toEqual([refused, refused]);
  });

  it('answers in windows-1251 CSV, Cyrillic intact', async () => {
    const response = await fetch(`${server.url}/export/abonents`, {
      method: 'POST', headers: { 'content-type': 'text/plain', authorization: auth() }, body: DEMO_TAX_IDS.join('\n'),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = iconv.decode(bytes, 'windows-1251');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=windows-1251');
    expect(text.split('\r\n')[0]).toBe(
      'ТИП;ІПН;ПІБ;ОС_РАХУНОК;EIC;ЛІЧИЛЬНИК;АДРЕСА;СТАТУС;КОД_ТАРИФУ;РІЧНИЙ_ОБСЯГ_М3;САЛЬДО;ПЕРІОД;ОБСЯГ_М3;САЛЬДО_ПОЧ;НАРАХОВАНО;ОПЛАЧЕНО;ДО_СПЛАТИ;ДАТА_ПОКАЗУ;ПОКАЗНИК;ОЦІНОЧНИЙ',
    );
    expect(text).toContain('Шевченко Андрій Іванович');
    expect(bytes.toString('utf8')).not.toContain('Вінницька');
    // One register after another: the accounts, then all their bills, then all their readings.
    const types = text.split('\r\n').slice(1).filter((l) => l !== '').map((l) => l.split(';')[0]).join('');
    expect(types).toBe(`${'A'.repeat(3)}${'B'.repeat(36)}${'R'.repeat(36)}`);
  });

  it('rejects more than 100 tax ids with HTTP 413 and a windows-1251 message', async () => {
    const response = await fetch(`${server.url}/export/abonents`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: auth() },
      body: Array.from({ length: 101 }, (_, i) => String(1_000_000_000 + i)).join('\r\n'),
    });
    expect({ status: response.status, text: iconv.decode(Buffer.from(await response.arrayBuffer()), 'windows-1251') }).toEqual({
      status: 413, text: 'Забагато ІПН у запиті: не більше 100',
    });
  });

  it('rejects a line that is not a tax id with HTTP 400 naming the line', async () => {
    const response = await fetch(`${server.url}/export/abonents`, {
      method: 'POST', headers: { 'content-type': 'text/plain', authorization: auth() }, body: '3111901220\r\n31119O1220\r\n',
    });
    expect({ status: response.status, text: iconv.decode(Buffer.from(await response.arrayBuffer()), 'windows-1251') }).toEqual({
      status: 400, text: 'Рядок 2: ІПН має складатися з 10 цифр',
    });
  });

  it('serves the tariffs the accounts refer to, current and past', () => {
    expect(tariffs.map((t) => [t.id, t.validFrom, t.validTo, t.components.map((c) => c.price.amount)])).toEqual([
      ['000000014', '2026-01-01', null, ['7.96', '1.76']],
      ['000000009', '2025-01-01', '2025-12-31', ['7.96', '1.52']],
    ]);
  });
});
