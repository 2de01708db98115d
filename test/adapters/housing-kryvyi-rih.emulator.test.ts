import { useNock } from '../helpers/nock.js';
import adapter from '../../adapters/housing-kryvyi-rih/index.js';
import { fixedClock } from '../../platform/clock.js';
import { parseDecimalToMinorUnits } from '../../domain/money.js';
import type { HousingAccount } from '../../domain/model.js';
import { createHousingKryvyiRihEmulator } from '../../emulators/housing-kryvyi-rih/index.js';
import { listen, type Emulator, type RunningServer } from '../../emulators/kit/index.js';
import { createPopulation } from '../../emulators/population/index.js';
import { buildAdapter, CALL, TEST_NOW } from './harness.js';
import { ALL_TARIFFS, ANDRII, K2_TARIFF, K3_TARIFF, OLENA, PARTNER, UNKNOWN, outcome } from './housing-kryvyi-rih.shared.js';

useNock();

const CREDENTIALS = { username: 'vikno', password: 'emulated-housing-password' };
const population = createPopulation({ size: 200, asOf: '2026-11-01' });
let emulator: Emulator;
let server: RunningServer;

beforeAll(async () => {
  emulator = createHousingKryvyiRihEmulator({ population, credentials: CREDENTIALS, clock: fixedClock('2026-11-05T09:30:00Z') });
  server = await listen(emulator.app);
});
afterAll(() => server.close());
afterEach(() => { emulator.setFaults({ down: false, malformedRate: 0 }); emulator.stats.reset(); });

const housing = (secrets = CREDENTIALS) => buildAdapter(adapter, { baseUrl: server.url, secrets }).ops;
const money = (text: string) => ({ minorUnits: parseDecimalToMinorUnits(text)!, currency: 'UAH' });
const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' };
/** Bills from [period, opening, accrued, paid, toPay] rows, newest first. */
const bills = (areaM2: number, rows: Array<[string, string, string, string, string]>) => rows.map(([period, opening, accrued, paid, toPay]) => ({
  period, openingBalance: money(opening), accrued: money(accrued), paid: money(paid), toPay: money(toPay), consumption: areaM2, unit: 'M2',
}));

/** Olena's flat: nine storeys with a lift, in arrears; the rise of 1 December 2025 shows in the oldest bill. */
const OLENA_FLAT = {
  service: 'HOUSING', partnerId: PARTNER, accountNumber: '120000001',
  address: '50411, м. Кривий Ріг, просп. Металургів, буд. 28, кв. 41',
  status: 'ACTIVE', areaM2: 52.3, hasLift: true, balance: money('2054.10'), tariff: K3_TARIFF, readings: [],
  bills: bills(52.3, [
    ['2026-10', '1543.13', '510.97', '0.00', '2054.10'],
    ['2026-09', '1540.16', '510.97', '508.00', '1543.13'],
    ['2026-08', '1805.19', '510.97', '776.00', '1540.16'],
    ['2026-07', '2232.22', '510.97', '938.00', '1805.19'],
    ['2026-06', '1721.25', '510.97', '0.00', '2232.22'],
    ['2026-05', '1754.28', '510.97', '544.00', '1721.25'],
    ['2026-04', '1943.31', '510.97', '700.00', '1754.28'],
    ['2026-03', '1432.34', '510.97', '0.00', '1943.31'],
    ['2026-02', '1417.37', '510.97', '496.00', '1432.34'],
    ['2026-01', '1132.40', '510.97', '226.00', '1417.37'],
    ['2025-12', '1089.43', '510.97', '468.00', '1132.40'],
    ['2025-11', '2064.18', '449.25', '1424.00', '1089.43'],
  ]),
  source,
};

/** Andrii's flat (he lives in a private house): five storeys, no lift, in credit. */
const ANDRII_FLAT = {
  service: 'HOUSING', partnerId: PARTNER, accountNumber: '120000011',
  address: '50788, м. Кривий Ріг, вул. Лермонтова, буд. 14, кв. 9',
  status: 'ACTIVE', areaM2: 64.1, hasLift: false, balance: money('-345.00'), tariff: K2_TARIFF, readings: [],
  bills: bills(64.1, [
    ['2026-10', '-345.00', '430.75', '430.75', '-345.00'],
    ['2026-09', '-195.00', '430.75', '580.75', '-345.00'],
    ...['2026-08', '2026-07', '2026-06', '2026-05', '2026-04', '2026-03', '2026-02', '2026-01', '2025-12']
      .map((period): [string, string, string, string, string] => [period, '-195.00', '430.75', '430.75', '-195.00']),
    ['2025-11', '-95.00', '382.04', '482.04', '-195.00'],
  ]),
  source,
};

/** What is wrong with an account of the population; [] when nothing is. */
function problems(account: HousingAccount): string[] {
  const out: string[] = [];
  const say = (ok: boolean, what: string) => void (ok || out.push(`${account.accountNumber}: ${what}`));
  say(/^12\d{7}$/.test(account.accountNumber), 'account number format');
  say(account.bills.map((b) => b.period).join() === population.months(12).join(), 'the last twelve months, newest first');
  say(account.balance.minorUnits === account.bills[0].toPay.minorUnits, 'balance is the newest toPay');
  say(account.hasLift === account.tariff.components.some((c) => c.kind === 'LIFT_MAINTENANCE'), 'a lift charge exactly with a lift');
  const areaCenti = Math.round(account.areaM2 * 100);
  account.bills.forEach((b, i) => {
    const tariff = ALL_TARIFFS.find((t) => t.name.split(' (')[0] === account.tariff.name.split(' (')[0] && t.validFrom <= `${b.period}-01` && (t.validTo ?? '9999') >= `${b.period}-01`)!;
    const accrued = tariff.components.reduce((s, c) => s + Math.round((areaCenti * parseDecimalToMinorUnits(c.price.amount)!) / 100), 0);
    say(b.accrued.minorUnits === accrued, `${b.period} accrued is area × the rate in force`);
    say(b.consumption === account.areaM2 && b.unit === 'M2', `${b.period} billed on the area`);
    say(b.toPay.minorUnits === b.openingBalance.minorUnits + b.accrued.minorUnits - b.paid.minorUnits, `${b.period} adds up`);
    if (i > 0) say(account.bills[i - 1].openingBalance.minorUnits === b.toPay.minorUnits, `${b.period} carries over`);
  });
  return out;
}

describe('housing-kryvyi-rih adapter against its emulator', () => {
  it('maps both demo citizens\' accounts whole, and [] for a person the company does not know, in one call', async () => {
    expect(outcome(await housing().accountsByTaxIds([OLENA, UNKNOWN, ANDRII], CALL))).toEqual([[OLENA_FLAT], [], [ANDRII_FLAT]]);
    expect(emulator.stats.byOperation).toEqual({ abonents: 1, tariffs: 1 });
  });

  it('maps the whole population in calls of 20, every account adding up at the rates in force', async () => {
    const taxIds = population.citizens.map((c) => c.taxId);

    const results = await housing().accountsByTaxIds(taxIds, CALL);

    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    const accounts = (results as HousingAccount[][]).flat();
    expect(accounts.flatMap(problems)).toEqual([]);
    expect(emulator.stats.byOperation).toEqual({ abonents: 10, tariffs: 1 });
    // A realistic share: most people in flats are the company's customers, few house owners.
    const customers = results.filter((r) => Array.isArray(r) && r.length > 0).length;
    expect(customers).toBe(115);
  });

  it('maps the published tariffs', async () => {
    expect(await housing().tariffs(CALL)).toEqual(ALL_TARIFFS);
  });

  it('returns PARTNER_UNAVAILABLE when the emulator refuses our credentials', async () => {
    expect(outcome(await housing({ ...CREDENTIALS, password: 'wrong' }).accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner refused our credentials (HTTP 401)' },
    ]);
  });

  it('returns PARTNER_UNAVAILABLE when the emulator is told to be down, PARTNER_BAD_RESPONSE when told to garble', async () => {
    emulator.setFaults({ down: true });
    expect(outcome(await housing().accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 503)' },
    ]);
    emulator.setFaults({ down: false, malformedRate: 1 });
    expect(outcome(await housing().accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: 'the partner answered with a body that is not XML' },
    ]);
  });
});

describe('housing-kryvyi-rih emulator', () => {
  const get = (path: string, authorization?: string) => fetch(`${server.url}${path}`, { headers: authorization ? { authorization } : {} });
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const answer = async (response: Response) => [response.status, response.headers.get('content-type'), await response.text()];
  const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;

  it('answers 401 with its XML error and a Basic challenge when the credentials are missing or wrong', async () => {
    for (const authorization of [undefined, basic('vikno', 'wrong'), 'Bearer emulated-housing-password']) {
      const response = await get('/export/tariffs', authorization);
      expect([response.headers.get('www-authenticate'), ...(await answer(response))]).toEqual([
        'Basic realm="ZHEO-12 export", charset="UTF-8"', 401, 'application/xml; charset=utf-8',
        xml('<pomylka KOD="AUTH">Невірне ім’я користувача або пароль</pomylka>'),
      ]);
    }
  });

  it('answers 400 with its XML error for a malformed tax id, none, or more than 20', async () => {
    const auth = basic(CREDENTIALS.username, CREDENTIALS.password);
    const many = Array.from({ length: 21 }, (_, i) => String(1_000_000_000 + i)).join(',');
    expect(await answer(await get('/export/abonents?ipn=12345', auth))).toEqual([400, 'application/xml; charset=utf-8', xml('<pomylka KOD="IPN">ІПН має складатися з 10 цифр</pomylka>')]);
    expect(await answer(await get('/export/abonents', auth))).toEqual([400, 'application/xml; charset=utf-8', xml('<pomylka KOD="IPN">Не вказано ІПН</pomylka>')]);
    expect(await answer(await get(`/export/abonents?ipn=${many}`, auth))).toEqual([400, 'application/xml; charset=utf-8', xml('<pomylka KOD="LIMIT">Не більше 20 ІПН за один запит</pomylka>')]);
  });

  it('answers an unknown person with ZNAIDENO="0"', async () => {
    const response = await get(`/export/abonents?ipn=${UNKNOWN}`, basic(CREDENTIALS.username, CREDENTIALS.password));
    expect(await answer(response)).toEqual([200, 'application/xml; charset=utf-8', xml(`<abonents DATA="20261105">\n  <abonent IPN="${UNKNOWN}" ZNAIDENO="0"/>\n</abonents>`)]);
  });
});
