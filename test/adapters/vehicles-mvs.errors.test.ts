import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ANDRII, ANDRII_VEHICLES, BASE_URL, OLENA, OLENA_VEHICLE, PARTNER, REGISTRATIONS_PATH, buildVehicles, describeError, fixture,
} from './vehicles-mvs.shared.js';
import adapter from '../../adapters/vehicles-mvs/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

/** Olena's answer is given; Andrii's is whatever `reply` makes of the interceptor. */
async function andriiFails(reply: (scope: nock.Interceptor) => nock.Scope, timeoutMs?: number): Promise<unknown[]> {
  nock(BASE_URL).get(REGISTRATIONS_PATH).query({ taxId: OLENA }).reply(200, fixture('registrations-olena.json'));
  reply(nock(BASE_URL).get(REGISTRATIONS_PATH).query({ taxId: ANDRII }));
  return (await buildVehicles({ timeoutMs }).vehiclesByOwners([OLENA, ANDRII], CALL)).map(describeError);
}

/** registrations-andrii.json with one change to its newest record. */
function andriiWith(change: (record: Record<string, unknown>) => void): object {
  const body = fixture('registrations-andrii.json');
  change(body.records[2]);
  return body;
}

const unreadable = { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's registration record cannot be mapped" };

describe('vehicles-mvs errors, per owner', () => {
  it('returns BAD_USER_INPUT for the owner whose call the registry rejects with HTTP 400', async () => {
    const results = await andriiFails((i) => i.reply(400, { code: 'INVALID_TAX_ID', message: 'РНОКПП' }));
    expect(results).toEqual([[OLENA_VEHICLE], { code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (HTTP 400)' }]);
  });

  it('returns PARTNER_UNAVAILABLE for the owner whose call fails with HTTP 500, and maps the other', async () => {
    const results = await andriiFails((i) => i.times(ATTEMPTS).reply(500, 'Internal Server Error'));
    expect(results).toEqual([[OLENA_VEHICLE], { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' }]);
  });

  it('returns PARTNER_TIMEOUT for the owner the registry is slow to answer about', async () => {
    const results = await andriiFails((i) => i.delay(1000).reply(200, fixture('registrations-andrii.json')), 100);
    expect(results[1]).toEqual({ code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' });
  });

  it('returns PARTNER_BAD_RESPONSE when the answer is not JSON', async () => {
    const results = await andriiFails((i) => i.reply(200, '<html>Технічні роботи</html>', { 'Content-Type': 'text/html' }));
    expect(results[1]).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: 'the partner answered with a body that is not valid JSON' });
  });

  it('returns PARTNER_BAD_RESPONSE when a record has the wrong shape', async () => {
    const results = await andriiFails((i) => i.reply(200, andriiWith((r) => { r.MAKE_YEAR = '2019'; })));
    expect(results).toEqual([
      [OLENA_VEHICLE],
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's registrations answer does not have the expected shape" },
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE when a plate is not a Ukrainian plate', async () => {
    const results = await andriiFails((i) => i.reply(200, andriiWith((r) => { r.N_REG_NEW = 'АЕ12345КХ'; })));
    expect(results).toEqual([[OLENA_VEHICLE], unreadable]);
  });

  it('returns PARTNER_BAD_RESPONSE when a VIN has a letter VINs never use', async () => {
    const results = await andriiFails((i) => i.reply(200, andriiWith((r) => { r.VIN = 'JTNB11HK1KU0482O3'; })));
    expect(results).toEqual([[OLENA_VEHICLE], unreadable]);
  });

  it('returns PARTNER_BAD_RESPONSE when a registration date does not exist', async () => {
    const results = await andriiFails((i) => i.reply(200, andriiWith((r) => { r.D_REG = '31.02.2023'; })));
    expect(results).toEqual([[OLENA_VEHICLE], unreadable]);
  });

  it('maps the owner again once the registry answers properly', async () => {
    const results = await andriiFails((i) => i.reply(200, fixture('registrations-andrii.json')));
    expect(results).toEqual([[OLENA_VEHICLE], ANDRII_VEHICLES]);
  });
});
