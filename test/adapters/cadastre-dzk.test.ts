import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import adapter from '../../adapters/cadastre-dzk/index.js';
import { encodeRnokpp } from '../../domain/identifiers.js';
import { CALL } from './harness.js';
import {
  ANDRII, ANDRII_PARCELS, BASE_URL, OLENA, OLENA_PARCEL, PARCELS_PATH, PARTNER, STRANGER, X_ROAD, buildCadastre, describeError, fixture,
} from './cadastre-dzk.shared.js';

useNock();

/** n distinct valid tax ids. */
const taxIdsOf = (n: number) => Array.from({ length: n }, (_, i) => encodeRnokpp('1980-01-01', i, 'MALE'));
const noParcels = (taxIds: string[]) => ({ owners: taxIds.map((taxId) => ({ taxId, parcels: [] })) });

describe('cadastre-dzk parcels by owner', () => {
  it('maps the demo citizens and a person without parcels from one parcelsByOwner call, in key order', async () => {
    const registry = nock(BASE_URL)
      .get(PARCELS_PATH)
      .query({ taxId: [OLENA, STRANGER, ANDRII] })
      .once()
      .reply(200, fixture('parcels-by-owner.json'));

    const results = await buildCadastre().parcelsByOwners([OLENA, STRANGER, ANDRII], CALL);

    expect(results).toEqual([[OLENA_PARCEL], [], ANDRII_PARCELS]);
    expect(registry.isDone()).toBe(true);
  });

  it('answers [] for a person the registry has no parcels for', async () => {
    nock(BASE_URL).get(PARCELS_PATH).query({ taxId: STRANGER }).reply(200, noParcels([STRANGER]));

    expect(await buildCadastre().parcelsByOwners([STRANGER], CALL)).toEqual([[]]);
  });

  it('asks about a batch of 20 tax ids in ONE call', async () => {
    const keys = taxIdsOf(20);
    const registry = nock(BASE_URL).get(PARCELS_PATH).query({ taxId: keys }).once().reply(200, noParcels([...keys].reverse()));

    const results = await buildCadastre().parcelsByOwners(keys, CALL);

    expect(results).toEqual(keys.map(() => []));
    expect(registry.isDone()).toBe(true);
  });

  it('splits more than 20 tax ids into calls of at most 20', async () => {
    const keys = taxIdsOf(45);
    const asked: string[][] = [];
    nock(BASE_URL).get(PARCELS_PATH).query(true).times(3).reply((uri) => {
      const taxIds = new URL(uri, BASE_URL).searchParams.getAll('taxId');
      asked.push(taxIds);
      return [200, noParcels(taxIds)];
    });

    const results = await buildCadastre().parcelsByOwners(keys, CALL);

    expect(results).toEqual(keys.map(() => []));
    expect(asked.map((a) => a.length).sort()).toEqual([20, 20, 5]);
    expect(asked.flat().sort()).toEqual([...keys].sort());
  });

  it('asks once for a tax id repeated in the keys and answers each position', async () => {
    nock(BASE_URL).get(PARCELS_PATH).query({ taxId: OLENA }).once().reply(200, { owners: [fixture('parcels-by-owner.json').owners[0]] });

    expect(await buildCadastre().parcelsByOwners([OLENA, OLENA], CALL)).toEqual([[OLENA_PARCEL], [OLENA_PARCEL]]);
  });

  it('answers BAD_USER_INPUT for a malformed tax id without sending it, and maps the other keys', async () => {
    const registry = nock(BASE_URL).get(PARCELS_PATH).query({ taxId: OLENA }).reply(200, { owners: [fixture('parcels-by-owner.json').owners[0]] });

    const results = await buildCadastre().parcelsByOwners(['3111901221', OLENA], CALL);

    expect(results.map(describeError)).toEqual([
      { code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the tax id check digit does not match' },
      [OLENA_PARCEL],
    ]);
    expect(registry.isDone()).toBe(true);
  });

  it('reads an area with fewer than four places and a parcel the registry sends without restriction or right lists', async () => {
    const body = fixture('parcels-by-owner.json');
    const field = body.owners[2].parcels[1];
    field.area = '3.87';
    delete field.restrictions;
    delete field.rights;
    nock(BASE_URL).get(PARCELS_PATH).query(true).reply(200, body);

    const [, , andrii] = await buildCadastre().parcelsByOwners([OLENA, STRANGER, ANDRII], CALL);

    expect(andrii).toEqual([ANDRII_PARCELS[0], { ...ANDRII_PARCELS[1], areaHectares: '3.8700', restrictions: [], rights: [] }]);
  });
});

describe('cadastre-dzk X-Road headers', () => {
  it('sends X-Road-Client from its options and X-Road-UserId and X-Road-Issue from the call context, never X-Road-Id', async () => {
    const registry = nock(BASE_URL, {
      reqheaders: { 'x-road-client': 'UA/GOV/12345678/PORTAL-2', 'x-road-userid': 'cnap-officer-17', 'x-road-issue': 'TICKET-A-017' },
      badheaders: ['x-road-id'],
    }).get(PARCELS_PATH).query(true).reply(200, noParcels([STRANGER]));
    const cadastre = buildCadastre({ options: { ...X_ROAD, xRoadClient: 'UA/GOV/12345678/PORTAL-2' } });

    await cadastre.parcelsByOwners([STRANGER], { requestId: 'r-1', officialId: 'cnap-officer-17', purpose: 'TICKET-A-017' });

    expect(registry.isDone()).toBe(true);
  });

  it.each([
    ['no official', { requestId: 'r-3', purpose: 'TICKET-A-017' }],
    ['no purpose', { requestId: 'r-3', officialId: 'cnap-officer-17' }],
    ['a blank official and purpose', { requestId: 'r-3', officialId: ' ', purpose: '' }],
  ])('answers BAD_USER_INPUT for every key without calling the registry when the call names %s', async (_, call) => {
    const registry = nock(BASE_URL).get(PARCELS_PATH).query(true).reply(200, noParcels([STRANGER]));

    const results = await buildCadastre().parcelsByOwners([STRANGER, OLENA], call);

    expect(results.map(describeError)).toEqual([STRANGER, OLENA].map(() => ({
      code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the registry requires the official and the purpose of the look-up',
    })));
    expect(registry.isDone()).toBe(false);
  });

  it.each([
    ['Cyrillic', 'ЦНАП № 17', '%D0%A6%D0%9D%D0%90%D0%9F%20%E2%84%96%2017'],
    ['visible text that reads like an encoded CR/LF', '%0d%0a', '%250d%250a'],
    ['a percent sign', '50% знижки', '50%25%20%D0%B7%D0%BD%D0%B8%D0%B6%D0%BA%D0%B8'],
    ['plain ASCII with spaces and slashes', 'case 2026/11/29-0042', 'case%202026%2F11%2F29-0042'],
    ['spaces at the ends, which are not trimmed here', ' A-17 ', '%20A-17%20'],
  ])('always percent-encodes the official and the purpose: %s', async (_, purpose, sent) => {
    let seen: unknown;
    const registry = nock(BASE_URL).get(PARCELS_PATH).query(true).reply(function () {
      seen = { userId: this.req.headers['x-road-userid'], issue: this.req.headers['x-road-issue'] };
      return [200, noParcels([STRANGER])];
    });

    await buildCadastre().parcelsByOwners([STRANGER], { requestId: 'r-2', officialId: 'officer.17@cnap:ua+2', purpose });

    expect({ done: registry.isDone(), seen }).toEqual({ done: true, seen: { userId: 'officer.17%40cnap%3Aua%2B2', issue: sent } });
  });

  it('refuses options whose X-Road-Client is not INSTANCE/CLASS/MEMBER/SUBSYSTEM, or that carry unknown keys', () => {
    const bad = adapter.options.safeParse({ xRoadClient: 'VIKNO', xRoadService: X_ROAD.xRoadService, apiKey: 'x' });

    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: ['xRoadClient'], message: 'must be INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. UA/GOV/00003211/VIKNO' },
      { path: [], message: 'Unrecognized key: "apiKey"' },
    ]);
  });
});
