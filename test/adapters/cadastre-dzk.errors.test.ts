import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ANDRII, ANDRII_PARCELS, BASE_URL, OLENA, OLENA_PARCEL, PARCELS_PATH, PARTNER, STRANGER, buildCadastre, describeError, fixture,
} from './cadastre-dzk.shared.js';
import adapter from '../../adapters/cadastre-dzk/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

async function batchError(reply: (scope: nock.Interceptor) => nock.Scope, timeoutMs?: number): Promise<unknown> {
  reply(nock(BASE_URL).get(PARCELS_PATH).query(true));
  // A failed call is the error of each of its keys: the batch resolves, with the error in every place.
  const results = await buildCadastre({ timeoutMs }).parcelsByOwners([OLENA, ANDRII], CALL);
  expect(results).toHaveLength(2);
  expect(results[1]).toBe(results[0]);
  return describeError(results[0]);
}

/** parcels-by-owner.json with one change to 2660404572's first parcel. */
function withAndriiParcel(change: (parcel: Record<string, any>) => void): object {
  const body = fixture('parcels-by-owner.json');
  change(body.owners[2].parcels[0]);
  return body;
}

describe('cadastre-dzk errors', () => {
  it('returns BAD_USER_INPUT when the security server refuses the message with HTTP 400', async () => {
    const error = await batchError((i) => i.reply(400, { type: 'Client.BadRequest', message: 'X-Road-Client header is missing', detail: 'x' }));
    expect(error).toEqual({ code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (HTTP 400)' });
  });

  it('returns PARTNER_UNAVAILABLE when the security server denies our client subsystem access', async () => {
    const error = await batchError((i) => i.reply(403, { type: 'Server.ServerProxy.AccessDenied', message: 'Request is not allowed' }));
    expect(error).toEqual({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner refused our credentials (HTTP 403)' });
  });

  it('returns PARTNER_UNAVAILABLE when the registry fails with HTTP 503', async () => {
    const error = await batchError((i) => i.times(ATTEMPTS).reply(503, 'Service Unavailable'));
    expect(error).toEqual({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 503)' });
  });

  it('returns PARTNER_TIMEOUT when the registry is slow', async () => {
    const error = await batchError((i) => i.delay(1000).reply(200, fixture('parcels-by-owner.json')), 100);
    expect(error).toEqual({ code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' });
  });

  it('returns PARTNER_BAD_RESPONSE for the whole batch when the answer is not JSON', async () => {
    const error = await batchError((i) => i.reply(200, '<html>Технічні роботи</html>', { 'Content-Type': 'text/html' }));
    expect(error).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: 'the partner answered with a body that is not valid JSON' });
  });

  it('returns PARTNER_BAD_RESPONSE for the whole batch when the envelope has the wrong shape', async () => {
    const error = await batchError((i) => i.reply(200, { parcels: [] }));
    expect(error).toEqual({
      code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's parcels-by-owner answer does not have the expected shape",
    });
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for a malformed parcel and maps the other owners', async () => {
    nock(BASE_URL).get(PARCELS_PATH).query(true).reply(200, withAndriiParcel((p) => { p.area = 0.1; }));

    const results = await buildCadastre().parcelsByOwners([OLENA, STRANGER, ANDRII], CALL);

    expect(results.map(describeError)).toEqual([
      [OLENA_PARCEL],
      [],
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's parcel list does not have the expected shape" },
    ]);
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for a cadastral number that is not one', async () => {
    nock(BASE_URL).get(PARCELS_PATH).query(true).reply(200, withAndriiParcel((p) => { p.cadnum = '1211000000:2:15:107'; }));

    const [, , andrii] = await buildCadastre().parcelsByOwners([OLENA, STRANGER, ANDRII], CALL);

    expect(describeError(andrii)).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's parcel cannot be mapped" });
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for an unknown form of ownership', async () => {
    nock(BASE_URL).get(PARCELS_PATH).query(true).reply(200, withAndriiParcel((p) => { p.ownership = { code: '400', name: 'Інша' }; }));

    const [olena, , andrii] = await buildCadastre().parcelsByOwners([OLENA, STRANGER, ANDRII], CALL);

    expect([olena, describeError(andrii)]).toEqual([
      [OLENA_PARCEL],
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's parcel list does not have the expected shape" },
    ]);
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for a tax id the answer leaves out', async () => {
    const body = fixture('parcels-by-owner.json');
    body.owners = body.owners.filter((o: { taxId: string }) => o.taxId !== OLENA);
    nock(BASE_URL).get(PARCELS_PATH).query(true).reply(200, body);

    const results = await buildCadastre().parcelsByOwners([OLENA, STRANGER, ANDRII], CALL);

    expect(results.map(describeError)).toEqual([
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: 'the partner left a requested record out of its answer' },
      [],
      ANDRII_PARCELS,
    ]);
  });
});
