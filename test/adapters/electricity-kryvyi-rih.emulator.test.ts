import { useNock } from '../helpers/nock.js';
import type { Clock } from '../../platform/clock.js';
import { checkEic } from '../../domain/identifiers.js';
import type { ElectricityAccount, ZoneName } from '../../domain/model.js';
import { createElectricityKryvyiRihEmulator } from '../../emulators/electricity-kryvyi-rih/index.js';
import type { Emulator } from '../../emulators/kit/emulator.js';
import { listen, type RunningServer } from '../../emulators/kit/serve.js';
import { createPopulation } from '../../emulators/population/index.js';
import { CALL } from './harness.js';
import { ANDRII, CLIENT, OLENA, buildElectricity } from './electricity-kryvyi-rih.shared.js';

useNock();

const population = createPopulation({ size: 200, asOf: '2026-11-01' });
let emulatorMs = Date.parse('2026-11-05T09:30:00Z');
const emulatorClock: Clock = { now: () => new Date(emulatorMs) };

const PRICE_MIL: Record<ZoneName, number> = { ALL_DAY: 4320, DAY: 4320, NIGHT: 2160, PEAK: 6480, HALF_PEAK: 4320 };
const THREE_ZONE_NIGHT_MIL = 1728;
const TARIFF_BY_SCHEME = { SINGLE: 'KREK-1Z-2024-06', TWO_ZONE: 'KREK-2Z-2024-06', THREE_ZONE: 'KREK-3Z-2024-06' };

/** Everything a client may rely on in a mapped metering point, checked against the emulator's data. */
function checkPoint(p: ElectricityAccount): void {
  expect([p.eic.slice(0, 3), checkEic(p.eic)]).toEqual(['62Z', null]);
  expect(p.accountNumber).toMatch(/^\d{10}$/);
  expect(p.tariff.id).toBe(TARIFF_BY_SCHEME[p.zoneScheme]);
  const zones = p.tariff.components.map((c) => c.zone!.name);
  expect(p.bills.map((b) => b.period)).toEqual(population.months(12));
  const dates = ['2026-11-01', ...population.months(11).map((m) => `${m}-01`)];
  expect(p.readings.map((r) => [r.takenOn, r.zone])).toEqual(dates.flatMap((d) => zones.map((z) => [d, z])));
  const money = [p.balance, ...p.bills.flatMap((b) => [b.openingBalance, b.accrued, b.paid, b.toPay])];
  for (const m of money) expect(Number.isSafeInteger(m.minorUnits) && m.currency === 'UAH').toBe(true);
  p.bills.forEach((b, i) => {
    expect(b.toPay.minorUnits).toBe(b.openingBalance.minorUnits + b.accrued.minorUnits - b.paid.minorUnits);
    if (i + 1 === p.bills.length) return;
    expect(b.openingBalance).toEqual(p.bills[i + 1].toPay);
    // The readings on the 1st close the month before: per zone, their differences are its use and its charge.
    const used = zones.map((_, z) => p.readings[i * zones.length + z].value - p.readings[(i + 1) * zones.length + z].value);
    expect(b.consumption).toBe(used.reduce((s, u) => s + u, 0));
    const mil = (zone: ZoneName) => (zone === 'NIGHT' && p.zoneScheme === 'THREE_ZONE' ? THREE_ZONE_NIGHT_MIL : PRICE_MIL[zone]);
    expect(b.accrued.minorUnits).toBe(used.reduce((s, u, z) => s + Math.round((u * mil(zones[z])) / 10), 0));
  });
  expect(p.balance).toEqual(p.bills[0].toPay);
}

describe('electricity-kryvyi-rih adapter against its emulator', () => {
  let emulator: Emulator;
  let server: RunningServer;

  beforeAll(async () => {
    emulator = createElectricityKryvyiRihEmulator({ population, credentials: CLIENT, clock: emulatorClock });
    server = await listen(emulator.app);
  });
  afterAll(() => server.close());
  beforeEach(() => emulator.stats.reset());

  it('maps both demo citizens\' metering points, whose identifiers, money, readings and bills add up', async () => {
    const [olena, andrii, nobody] = await buildElectricity({ baseUrl: server.url }).accountsByTaxIds([OLENA, ANDRII, '1234567890'], CALL);

    if (!Array.isArray(olena) || !Array.isArray(andrii)) throw new Error('a demo citizen failed');
    expect(nobody).toEqual([]);
    expect([...olena, ...andrii].map((p) => [p.zoneScheme, p.status])).toEqual([
      ['TWO_ZONE', 'ACTIVE'], ['SINGLE', 'DISCONNECTED'], ['THREE_ZONE', 'ACTIVE'],
    ]);
    [...olena, ...andrii].forEach(checkPoint);
    // Rich demo records: Olena in arrears, Andrii in credit, each with an estimated reading.
    expect([...olena, ...andrii].map((p) => Math.sign(p.balance.minorUnits))).toEqual([1, 1, -1]);
    expect([olena, andrii].map((points) => points.some((p) => p.readings.some((r) => r.estimated)))).toEqual([true, true]);
    expect(emulator.stats.byOperation).toEqual({ token: 1, meteringPoints: 3, tariffs: 1 });
  });

  it('renews the token and retries once when the emulator has expired it by its own clock', async () => {
    const electricity = buildElectricity({ baseUrl: server.url });
    expect(await electricity.accountsByTaxIds(['1234567890'], CALL)).toEqual([[]]);
    emulatorMs += 301_000;

    expect(await electricity.accountsByTaxIds(['1234567890'], CALL)).toEqual([[]]);
    expect(emulator.stats.byOperation).toEqual({ token: 2, meteringPoints: 3 });
  });

  it('speaks OAuth2 errors: bad client, bad grant, missing or expired token', async () => {
    const form = (body: Record<string, string>) => fetch(`${server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams(body) });
    const json = async (r: Response) => [r.status, await r.json()];
    const good = { grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };

    expect(await json(await form({ ...good, client_secret: 'nope' }))).toEqual([401, { error: 'invalid_client', error_description: 'client authentication failed' }]);
    expect(await json(await form({ ...good, grant_type: 'password' }))).toEqual([400, { error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' }]);
    const issued = await (await form(good)).json() as { access_token: string };
    expect({ ...issued, access_token: typeof issued.access_token }).toEqual({ access_token: 'string', token_type: 'Bearer', expires_in: 300, scope: 'customers.read tariffs.read' });

    const tariffs = (token?: string) => fetch(`${server.url}/api/tariffs`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const invalid = [401, { error: 'invalid_token', error_description: 'the access token is missing, unknown or expired' }];
    expect((await tariffs(issued.access_token)).status).toBe(200);
    expect(await json(await tariffs())).toEqual(invalid);
    emulatorMs += 300_000;
    expect(await json(await tariffs(issued.access_token))).toEqual(invalid);
  });

  it('answers 400 for a malformed tax id and 404 customer_not_found for an unknown one', async () => {
    const { access_token: token } = await (await fetch(`${server.url}/oauth/token`, {
      method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
    })).json() as { access_token: string };
    const get = async (taxId: string) => {
      const r = await fetch(`${server.url}/api/customers/${taxId}/metering-points`, { headers: { authorization: `Bearer ${token}` } });
      return [r.status, await r.json()];
    };
    expect(await get('12345')).toEqual([400, { error: 'invalid_request', error_description: 'taxId must be 10 digits' }]);
    expect(await get('1234567890')).toEqual([404, { error: 'customer_not_found' }]);
  });
});
