import { createHash } from 'node:crypto';
import adapter from '../../adapters/cadastre-dzk/index.js';
import { fixedClock } from '../../platform/clock.js';
import type { DomainOperations } from '../../adapters/core/contract.js';
import { checkCadastralNumber } from '../../domain/identifiers.js';
import type { LandParcel } from '../../domain/model.js';
import { parsePurposeHeader } from '../../identity/text.js';
import { createCadastreDzkEmulator } from '../../emulators/cadastre-dzk/index.js';
import { listen, type RunningServer } from '../../emulators/kit/index.js';
import { createPopulation } from '../../emulators/population/index.js';
import { buildAdapter, CALL, TEST_NOW } from './harness.js';
import { ANDRII, ANDRII_PARCELS, OLENA, OLENA_PARCEL, PARCELS_PATH, PARTNER, STRANGER, X_ROAD, describeError } from './cadastre-dzk.shared.js';

const population = createPopulation({ size: 200, asOf: '2026-11-01' });
const emulator = createCadastreDzkEmulator({ population, credentials: {}, clock: fixedClock(TEST_NOW) });
let server: RunningServer;
let cadastre: DomainOperations['cadastre'];

beforeAll(async () => {
  server = await listen(emulator.app);
  cadastre = buildAdapter(adapter, { baseUrl: server.url, options: X_ROAD }).ops;
});
afterAll(() => server.close());
beforeEach(() => emulator.stats.reset());

const chunks = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Whole shares of each kind of right add up to one: "1/2" + "1/2". */
function ownershipAddsUp(parcel: LandParcel): boolean {
  const owned = parcel.rights.filter((r) => r.kind === 'OWNERSHIP').map((r) => r.share.split('/').map(Number));
  return Math.abs(owned.reduce((sum, [n, d]) => sum + n / d, 0) - 1) < 1e-9;
}

describe('cadastre-dzk against its emulator', () => {
  it('maps both demo citizens and an unknown person from ONE call', async () => {
    const results = await cadastre.parcelsByOwners([OLENA, ANDRII, STRANGER], CALL);

    expect(results).toEqual([[OLENA_PARCEL], ANDRII_PARCELS, []]);
    expect(emulator.stats.byOperation).toEqual({ parcelsByOwner: 1 });
  });

  it('maps every citizen of the population, 20 per call, with identifiers, money and shares that check out', async () => {
    const taxIds = population.citizens.map((c) => c.taxId);
    const results = (await Promise.all(chunks(taxIds, 20).map((keys) => cadastre.parcelsByOwners(keys, CALL)))).flat();
    const parcels = results.flatMap((r) => (r instanceof Error ? [] : r));

    expect(results.filter((r) => r instanceof Error).map(describeError)).toEqual([]);
    expect(emulator.stats.byOperation).toEqual({ parcelsByOwner: 10 });
    const owners = results.filter((r) => Array.isArray(r) && r.length > 0).length / taxIds.length;
    expect(owners).toBeGreaterThan(0.25);
    expect(owners).toBeLessThan(0.5);
    const problems = parcels.filter((p) =>
      checkCadastralNumber(p.cadastralNumber) !== null
      || !p.cadastralNumber.startsWith(`${p.koatuu}:`)
      || !/^\d+\.\d{4}$/.test(p.areaHectares)
      || !Number.isSafeInteger(p.normativeValuation.minorUnits) || p.normativeValuation.minorUnits <= 0
      || !ownershipAddsUp(p)
      || (p.ownershipForm === 'COMMUNAL') !== p.rights.some((r) => r.kind === 'USE')
      || [p.registeredOn, ...p.rights.map((r) => r.registeredOn), ...p.restrictions.map((r) => r.registeredOn)].some((d) => !(d >= '2004-01-01' && d < '2026-11-01')));
    expect(problems).toEqual([]);
    expect(new Set(parcels.map((p) => p.cadastralNumber)).size).toBe(parcels.length);
  });

  it.each([
    ['%250d%250a', '%0d%0a'],
    [encodeURIComponent('Талон А-017'), 'Талон А-017'],
    ['50%25%20%D0%B7%D0%BD%D0%B8%D0%B6%D0%BA%D0%B8', '50% знижки'],
  ])('logs exactly the purpose the gateway validated from X-Purpose %s, and the staff id', async (header, purpose) => {
    const validated = parsePurposeHeader(header);
    await cadastre.parcelsByOwners([STRANGER], { requestId: 'r-8', officialId: 'officer.17@cnap:ua+2', purpose: validated });

    const { userId, issue } = emulator.messages.at(-1)!;
    expect({ validated, logged: { userId, issue } }).toEqual({ validated: purpose, logged: { userId: 'officer.17@cnap:ua+2', issue: purpose } });
  });

  it('records the official and the purpose from the call context in the message log', async () => {
    await cadastre.parcelsByOwners([OLENA], { requestId: 'r-7', officialId: 'ЦНАП-17', purpose: 'A-017' });

    expect(emulator.messages.at(-1)).toEqual({
      id: expect.stringMatching(/^00000000-0000-4000-8000-[0-9a-f]{12}$/),
      at: TEST_NOW,
      client: 'UA/GOV/00003211/VIKNO',
      service: 'UA/GOV/39765513/DZK/parcelsByOwner',
      userId: 'ЦНАП-17',
      issue: 'A-017',
    });
  });

  it('issues an extract whose document matches its SHA-256, with the same number all day', async () => {
    const first = await cadastre.parcelExtract('1222083600:01:002:0315', CALL);
    const again = await cadastre.parcelExtract('1222083600:01:002:0315', CALL);

    expect(first).toEqual({
      number: expect.stringMatching(/^НВ-\d{12}$/),
      issuedAt: TEST_NOW,
      registry: 'Державний земельний кадастр',
      registrar: 'Державний кадастровий реєстратор Відділу у Криворізькому районі Головного управління Держгеокадастру у Дніпропетровській області Руденко Олег Васильович',
      subject: '1222083600:01:002:0315',
      content: expect.stringContaining('Кадастровий номер: 1222083600:01:002:0315\n'),
      document: {
        mediaType: 'text/plain; charset=utf-8',
        fileName: 'dzk-extract-1222083600-01-002-0315.txt',
        sizeBytes: Buffer.byteLength(first.content),
        sha256: createHash('sha256').update(first.content).digest('hex'),
        base64: Buffer.from(first.content).toString('base64'),
      },
      source: { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' },
    });
    expect(again.number).toBe(first.number);
  });

  it('returns NOT_FOUND for an extract about a parcel the registry does not hold', async () => {
    const error = await cadastre.parcelExtract('1211000000:99:999:9999', CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'NOT_FOUND', partner: PARTNER, message: 'the partner has no such record' });
  });
});

describe('cadastre-dzk emulator: the X-Road security server', () => {
  const url = (query: string) => `${server.url}${PARCELS_PATH}?${query}`;
  /** A well-formed message: our client subsystem, the official asking and the case it is for. */
  const MESSAGE_HEADERS = { 'X-Road-Client': X_ROAD.xRoadClient, 'X-Road-UserId': 'cnap-officer-17', 'X-Road-Issue': 'A-017' };

  it('refuses a message without X-Road-Client with an X-Road error, still stamped with its id and request hash', async () => {
    const response = await fetch(url(`taxId=${OLENA}`));

    const id = response.headers.get('x-road-id');
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { type: 'Client.BadRequest', message: 'X-Road-Client header is missing', detail: id },
    });
    expect(response.headers.get('x-road-request-hash')).toBe(
      createHash('sha512').update(`GET ${PARCELS_PATH}?taxId=${OLENA}`).digest('base64'),
    );
  });

  it.each([
    ['without X-Road-UserId', { 'X-Road-Issue': 'A-017' }, 'X-Road-UserId is required'],
    ['with a blank X-Road-UserId', { 'X-Road-UserId': ' ', 'X-Road-Issue': 'A-017' }, 'X-Road-UserId is required'],
    ['without X-Road-Issue', { 'X-Road-UserId': 'cnap-officer-17' }, 'X-Road-Issue is required'],
    ['with an empty X-Road-Issue', { 'X-Road-UserId': 'cnap-officer-17', 'X-Road-Issue': '' }, 'X-Road-Issue is required'],
    ['with a CR/LF in its decoded X-Road-Issue', { 'X-Road-UserId': 'cnap-officer-17', 'X-Road-Issue': 'A-017%0D%0A' },
      'X-Road-Issue: must not contain control, format or bidirectional characters'],
    ['with a right-to-left override in its decoded X-Road-Issue', { 'X-Road-UserId': 'cnap-officer-17', 'X-Road-Issue': '%E2%80%AEA-017' },
      'X-Road-Issue: must not contain control, format or bidirectional characters'],
    ['with a CR/LF in its decoded X-Road-UserId', { 'X-Road-UserId': 'cnap-officer-17%0d%0a', 'X-Road-Issue': 'A-017' },
      'X-Road-UserId: must not contain control, format or bidirectional characters'],
  ])('refuses a message %s with an X-Road error and logs nothing', async (_, caller, message) => {
    const logged = emulator.messages.length;
    const response = await fetch(url(`taxId=${OLENA}`), { headers: { 'X-Road-Client': X_ROAD.xRoadClient, ...caller } });

    expect({ status: response.status, body: await response.json(), logged: emulator.messages.length }).toEqual({
      status: 400,
      body: { type: 'Client.BadRequest', message, detail: response.headers.get('x-road-id') },
      logged,
    });
    expect(emulator.stats.byOperation).toEqual({ parcelsByOwner: 1 });
  });

  it('refuses a malformed X-Road-Client', async () => {
    const response = await fetch(url(`taxId=${OLENA}`), { headers: { 'X-Road-Client': 'VIKNO' } });

    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { type: 'Client.BadRequest', message: 'X-Road-Client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM', detail: response.headers.get('x-road-id') },
    });
  });

  it('answers a well-formed message with a fresh X-Road-Id each time', async () => {
    const headers = MESSAGE_HEADERS;
    const first = await fetch(url(`taxId=${STRANGER}`), { headers });
    const second = await fetch(url(`taxId=${STRANGER}`), { headers });

    expect(await first.json()).toEqual({ owners: [{ taxId: STRANGER, parcels: [] }] });
    expect(first.headers.get('x-road-id')).not.toBe(second.headers.get('x-road-id'));
  });

  it('knows only its own service', async () => {
    const response = await fetch(`${server.url}/r1/UA/GOV/03287166/MVS/parcelsByOwner/v1?taxId=${OLENA}`, { headers: MESSAGE_HEADERS });

    expect({ status: response.status, type: ((await response.json()) as { type: string }).type }).toEqual({ status: 404, type: 'Server.ServerProxy.UnknownService' });
  });

  it('refuses more than 20 tax ids in one call', async () => {
    const query = population.citizens.slice(0, 21).map((c) => `taxId=${c.taxId}`).join('&');
    const response = await fetch(url(query), { headers: MESSAGE_HEADERS });

    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400, body: { code: 'INVALID_REQUEST', message: 'Потрібно від 1 до 20 параметрів taxId' },
    });
  });
});
