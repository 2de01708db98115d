import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import adapter from '../../adapters/vehicles-mvs/index.js';
import { encodeRnokpp } from '../../domain/identifiers.js';
import { CALL } from './harness.js';
import {
  ANDRII, ANDRII_VEHICLES, BASE_URL, OLENA, OLENA_VEHICLE, PARTNER, REGISTRATIONS_PATH, STRANGER, X_ROAD, buildVehicles, describeError,
  fixture,
} from './vehicles-mvs.shared.js';

useNock();

const taxIdsOf = (n: number) => Array.from({ length: n }, (_, i) => encodeRnokpp('1980-01-01', i, 'FEMALE'));

describe('vehicles-mvs vehicles by owner', () => {
  it('maps the demo citizens and a person without vehicles, one call each, in key order', async () => {
    const registry = nock(BASE_URL)
      .get(REGISTRATIONS_PATH).query({ taxId: OLENA }).reply(200, fixture('registrations-olena.json'))
      .get(REGISTRATIONS_PATH).query({ taxId: STRANGER }).reply(200, { records: [] })
      .get(REGISTRATIONS_PATH).query({ taxId: ANDRII }).reply(200, fixture('registrations-andrii.json'));

    const results = await buildVehicles().vehiclesByOwners([OLENA, STRANGER, ANDRII], CALL);

    expect(results).toEqual([[OLENA_VEHICLE], [], ANDRII_VEHICLES]);
    expect(registry.isDone()).toBe(true);
  });

  it('asks one owner per call and keeps at most 4 calls in flight', async () => {
    const keys = taxIdsOf(10);
    const asked: string[] = [];
    let inFlight = 0;
    let most = 0;
    nock(BASE_URL).get(REGISTRATIONS_PATH).query(true).times(10).reply((uri, _body, callback) => {
      asked.push(new URL(uri, BASE_URL).searchParams.getAll('taxId').join(','));
      most = Math.max(most, ++inFlight);
      // A slow registry, so that calls would pile up if the adapter did not bound them.
      setTimeout(() => { inFlight -= 1; callback(null, [200, { records: [] }]); }, 20);
    });

    const results = await buildVehicles().vehiclesByOwners(keys, CALL);

    expect(results).toEqual(keys.map(() => []));
    expect([...asked].sort()).toEqual([...keys].sort());
    expect(most).toBe(4);
  });

  it('asks once for a tax id repeated in the keys and answers each position', async () => {
    nock(BASE_URL).get(REGISTRATIONS_PATH).query({ taxId: OLENA }).once().reply(200, fixture('registrations-olena.json'));

    expect(await buildVehicles().vehiclesByOwners([OLENA, OLENA], CALL)).toEqual([[OLENA_VEHICLE], [OLENA_VEHICLE]]);
  });

  it('answers BAD_USER_INPUT for a malformed tax id without sending it, and maps the other keys', async () => {
    const registry = nock(BASE_URL).get(REGISTRATIONS_PATH).query({ taxId: OLENA }).reply(200, fixture('registrations-olena.json'));

    const results = await buildVehicles().vehiclesByOwners(['31119O1220', OLENA], CALL);

    expect(results.map(describeError)).toEqual([
      { code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the tax id must contain digits only' },
      [OLENA_VEHICLE],
    ]);
    expect(registry.isDone()).toBe(true);
  });

  it('reads a plate with Latin letters mixed in and a KOATUU that lost its leading zero', async () => {
    const body = fixture('registrations-olena.json');
    Object.assign(body.records[0], { N_REG_NEW: 'AE4127КС', REG_ADDR_KOATUU: 510100000 });
    nock(BASE_URL).get(REGISTRATIONS_PATH).query(true).reply(200, body);

    const [olena] = await buildVehicles().vehiclesByOwners([OLENA], CALL);

    expect(olena).toEqual([{ ...OLENA_VEHICLE, registration: { ...OLENA_VEHICLE.registration, koatuu: '0510100000' } }]);
  });

  it("takes each vehicle's newest operation whatever order the records come in", async () => {
    const body = fixture('registrations-andrii.json');
    body.records.reverse();
    nock(BASE_URL).get(REGISTRATIONS_PATH).query(true).reply(200, body);

    expect(await buildVehicles().vehiclesByOwners([ANDRII], CALL)).toEqual([ANDRII_VEHICLES]);
  });

  it('keeps the later of two operations on the same day', async () => {
    const body = fixture('registrations-andrii.json');
    body.records[2].D_REG = body.records[0].D_REG;
    nock(BASE_URL).get(REGISTRATIONS_PATH).query(true).reply(200, body);

    const [andrii] = await buildVehicles().vehiclesByOwners([ANDRII], CALL);

    expect(andrii).toEqual([ANDRII_VEHICLES[1], { ...ANDRII_VEHICLES[0], registration: { ...ANDRII_VEHICLES[0].registration, date: '2019-04-02' } }]);
  });
});

describe('vehicles-mvs X-Road headers', () => {
  it('sends X-Road-Client from its options and X-Road-UserId and X-Road-Issue from the call context, never X-Road-Id', async () => {
    const registry = nock(BASE_URL, {
      reqheaders: { 'x-road-client': 'UA/GOV/12345678/PORTAL-2', 'x-road-userid': 'cnap-officer-17', 'x-road-issue': 'TICKET-A-017' },
      badheaders: ['x-road-id'],
    }).get(REGISTRATIONS_PATH).query(true).reply(200, { records: [] });
    const vehicles = buildVehicles({ options: { ...X_ROAD, xRoadClient: 'UA/GOV/12345678/PORTAL-2' } });

    await vehicles.vehiclesByOwners([STRANGER], { requestId: 'r-1', officialId: 'cnap-officer-17', purpose: 'TICKET-A-017' });

    expect(registry.isDone()).toBe(true);
  });

  it.each([
    ['no official', { requestId: 'r-3', purpose: 'TICKET-A-017' }],
    ['no purpose', { requestId: 'r-3', officialId: 'cnap-officer-17' }],
    ['a blank official and purpose', { requestId: 'r-3', officialId: ' ', purpose: '' }],
  ])('answers BAD_USER_INPUT for every key without calling the registry when the call names %s', async (_, call) => {
    const registry = nock(BASE_URL).get(REGISTRATIONS_PATH).query(true).reply(200, { records: [] });

    const results = await buildVehicles().vehiclesByOwners([STRANGER, OLENA], call);

    expect(results.map(describeError)).toEqual([STRANGER, OLENA].map(() => ({
      code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the registry requires the official and the purpose of the look-up',
    })));
    expect(registry.isDone()).toBe(false);
  });

  it.each([
    ['Cyrillic', 'Талон А-017', '%D0%A2%D0%B0%D0%BB%D0%BE%D0%BD%20%D0%90-017'],
    ['visible text that reads like an encoded CR/LF', '%0d%0a', '%250d%250a'],
    ['a percent sign', '50% знижки', '50%25%20%D0%B7%D0%BD%D0%B8%D0%B6%D0%BA%D0%B8'],
  ])('always percent-encodes the official and the purpose: %s', async (_, purpose, sent) => {
    let seen: unknown;
    const registry = nock(BASE_URL).get(REGISTRATIONS_PATH).query(true).reply(function () {
      seen = { userId: this.req.headers['x-road-userid'], issue: this.req.headers['x-road-issue'] };
      return [200, { records: [] }];
    });

    await buildVehicles().vehiclesByOwners([STRANGER], { requestId: 'r-2', officialId: 'officer.17@cnap:ua+2', purpose });

    expect({ done: registry.isDone(), seen }).toEqual({ done: true, seen: { userId: 'officer.17%40cnap%3Aua%2B2', issue: sent } });
  });

  it('refuses options without an X-Road service', () => {
    const bad = adapter.options.safeParse({ xRoadClient: X_ROAD.xRoadClient });

    expect(bad.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: ['xRoadService'], message: 'Invalid input: expected string, received undefined' },
    ]);
  });
});
