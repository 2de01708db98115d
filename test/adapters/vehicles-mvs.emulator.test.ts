import { createHash } from 'node:crypto';
import adapter from '../../adapters/vehicles-mvs/index.js';
import { fixedClock } from '../../platform/clock.js';
import type { DomainOperations } from '../../adapters/core/contract.js';
import { checkVin, normalizePlate, vinCheckDigitMatches } from '../../domain/identifiers.js';
import type { Vehicle } from '../../domain/model.js';
import { parsePurposeHeader } from '../../identity/text.js';
import { listen, type RunningServer } from '../../emulators/kit/index.js';
import { createPopulation } from '../../emulators/population/index.js';
import { createVehiclesMvsEmulator } from '../../emulators/vehicles-mvs/index.js';
import { buildAdapter, CALL, TEST_NOW } from './harness.js';
import { ANDRII, ANDRII_VEHICLES, OLENA, OLENA_VEHICLE, PARTNER, REGISTRATIONS_PATH, STRANGER, X_ROAD, describeError } from './vehicles-mvs.shared.js';

const population = createPopulation({ size: 200, asOf: '2026-11-01' });
const emulator = createVehiclesMvsEmulator({ population, credentials: {}, clock: fixedClock(TEST_NOW) });
let server: RunningServer;
let vehicles: DomainOperations['vehicles'];

beforeAll(async () => {
  server = await listen(emulator.app);
  vehicles = buildAdapter(adapter, { baseUrl: server.url, options: X_ROAD }).ops;
});
afterAll(() => server.close());
beforeEach(() => emulator.stats.reset());

/** What is wrong with a mapped vehicle, if anything. */
function problems(v: Vehicle): string[] {
  return [
    checkVin(v.vin) !== null && 'VIN',
    v.vinCheckDigitValid !== vinCheckDigitMatches(v.vin) && 'VIN check digit flag',
    (normalizePlate(v.plate) !== v.plate || normalizePlate(v.plateCyrillic) !== v.plate || !/^(AE|KE)/.test(v.plate)) && 'plate',
    (v.engineCapacityCm3 === null) !== (v.fuel === 'ЕЛЕКТРО') && 'engine capacity',
    !(Number.isInteger(v.ownWeightKg) && v.ownWeightKg > 0 && v.totalWeightKg > v.ownWeightKg) && 'weights',
    !(v.certificate.firstRegisteredOn <= v.registration.date && v.registration.date < '2026-11-01') && 'dates',
    Number(v.certificate.firstRegisteredOn.slice(0, 4)) < v.makeYear && 'make year',
    v.registration.koatuu !== '1211000000' && 'KOATUU',
  ].filter((p): p is string => typeof p === 'string');
}

describe('vehicles-mvs against its emulator', () => {
  it('maps both demo citizens and an unknown person, one call per owner', async () => {
    const results = await vehicles.vehiclesByOwners([OLENA, ANDRII, STRANGER], CALL);

    expect(results).toEqual([[OLENA_VEHICLE], ANDRII_VEHICLES, []]);
    expect(emulator.stats.byOperation).toEqual({ registrationsByOwner: 3 });
  });

  it('maps every citizen of the population with VINs, plates, weights and dates that check out', async () => {
    const results = await vehicles.vehiclesByOwners(population.citizens.map((c) => c.taxId), CALL);
    const all = results.flatMap((r) => (r instanceof Error ? [] : r));

    expect(results.filter((r) => r instanceof Error).map(describeError)).toEqual([]);
    const owners = results.filter((r) => Array.isArray(r) && r.length > 0).length / results.length;
    expect(owners).toBeGreaterThan(0.25);
    expect(owners).toBeLessThan(0.55);
    expect(all.map((v) => ({ vin: v.vin, problems: problems(v) })).filter((v) => v.problems.length)).toEqual([]);
    expect(new Set(all.map((v) => v.vin)).size).toBe(all.length);
    expect(new Set(all.map((v) => v.vinCheckDigitValid))).toEqual(new Set([true, false]));
  });

  it.each([
    ['%250d%250a', '%0d%0a'],
    [encodeURIComponent('Талон А-017'), 'Талон А-017'],
    ['50%25%20%D0%B7%D0%BD%D0%B8%D0%B6%D0%BA%D0%B8', '50% знижки'],
  ])('logs exactly the purpose the gateway validated from X-Purpose %s, and the staff id', async (header, purpose) => {
    const validated = parsePurposeHeader(header);
    await vehicles.vehiclesByOwners([STRANGER], { requestId: 'r-8', officialId: 'officer.17@cnap:ua+2', purpose: validated });

    const { userId, issue } = emulator.messages.at(-1)!;
    expect({ validated, logged: { userId, issue } }).toEqual({ validated: purpose, logged: { userId: 'officer.17@cnap:ua+2', issue: purpose } });
  });

  it('records the official and the purpose from the call context in the message log', async () => {
    await vehicles.vehiclesByOwners([ANDRII], { requestId: 'r-7', officialId: 'cnap-officer-17', purpose: 'Талон А-017' });

    expect(emulator.messages.at(-1)).toEqual({
      id: expect.stringMatching(/^00000000-0000-4000-8000-[0-9a-f]{12}$/),
      at: TEST_NOW,
      client: 'UA/GOV/00003211/VIKNO',
      service: 'UA/GOV/03287166/MVS/registrationsByOwner',
      userId: 'cnap-officer-17',
      issue: 'Талон А-017',
    });
  });

  it('issues an extract about a vehicle by its newest operation, its document matching its SHA-256', async () => {
    const extract = await vehicles.registrationExtract('JTNB11HK1KU048213', CALL);

    expect(extract).toEqual({
      number: expect.stringMatching(/^ТЗ-\d{12}$/),
      issuedAt: TEST_NOW,
      registry: 'Єдиний державний реєстр транспортних засобів МВС',
      registrar: 'Територіальний сервісний центр № 1241 РСЦ ГСЦ МВС в Дніпропетровській області (філія ГСЦ МВС)',
      subject: 'JTNB11HK1KU048213',
      content: expect.stringContaining('Номерний знак: АЕ1234КХ\n'),
      document: {
        mediaType: 'text/plain; charset=utf-8',
        fileName: 'mvs-extract-JTNB11HK1KU048213.txt',
        sizeBytes: Buffer.byteLength(extract.content),
        sha256: createHash('sha256').update(extract.content).digest('hex'),
        base64: Buffer.from(extract.content).toString('base64'),
      },
      source: { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' },
    });
  });

  it('returns NOT_FOUND for an extract about a VIN the registry does not hold', async () => {
    const error = await vehicles.registrationExtract('1M8GDM9AXKP042788', CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'NOT_FOUND', partner: PARTNER, message: 'the partner has no such record' });
  });
});

describe('vehicles-mvs emulator: the X-Road security server and the registry', () => {
  const url = (query: string) => `${server.url}${REGISTRATIONS_PATH}?${query}`;
  /** A well-formed message: our client subsystem, the official asking and the case it is for. */
  const MESSAGE_HEADERS = { 'X-Road-Client': X_ROAD.xRoadClient, 'X-Road-UserId': 'cnap-officer-17', 'X-Road-Issue': 'A-017' };

  it('refuses a message without X-Road-Client with an X-Road error, still stamped with its id and request hash', async () => {
    const response = await fetch(url(`taxId=${OLENA}`));

    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { type: 'Client.BadRequest', message: 'X-Road-Client header is missing', detail: response.headers.get('x-road-id') },
    });
    expect(response.headers.get('x-road-request-hash')).toBe(createHash('sha512').update(`GET ${REGISTRATIONS_PATH}?taxId=${OLENA}`).digest('base64'));
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
    expect(emulator.stats.byOperation).toEqual({ registrationsByOwner: 1 });
  });

  it('answers about one person per call only', async () => {
    const response = await fetch(url(`taxId=${OLENA}&taxId=${ANDRII}`), { headers: MESSAGE_HEADERS });

    expect({ status: response.status, code: ((await response.json()) as { code: string }).code }).toEqual({ status: 400, code: 'INVALID_TAX_ID' });
  });

  it('answers an unknown person with no records, as the registry does', async () => {
    const response = await fetch(url(`taxId=${STRANGER}`), { headers: MESSAGE_HEADERS });

    expect({ status: response.status, body: await response.json(), id: response.headers.get('x-road-id') }).toEqual({
      status: 200, body: { records: [] }, id: expect.stringMatching(/^00000000-0000-4000-8000-/),
    });
  });
});
