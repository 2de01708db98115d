import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import { BASE_URL, EXTRACT_PATH, PARTNER, X_ROAD, buildVehicles, describeError, expectedExtract, fixture } from './vehicles-mvs.shared.js';

useNock();

const VIN = 'WVWZZZAUZHW123456';

describe('vehicles-mvs extracts', () => {
  it('issues a registration extract and checks its document against the SHA-256', async () => {
    const registry = nock(BASE_URL, {
      reqheaders: { 'x-road-client': X_ROAD.xRoadClient, 'x-road-userid': 'cnap-officer-17', 'x-road-issue': 'A-017' },
    }).get(EXTRACT_PATH).query({ vin: VIN }).reply(200, fixture('extract.json'));

    const extract = await buildVehicles().registrationExtract(VIN, { requestId: 'r-1', officialId: 'cnap-officer-17', purpose: 'A-017' });

    expect(extract).toEqual(expectedExtract());
    expect(registry.isDone()).toBe(true);
  });

  it('asks about a VIN typed in lower case in the registry’s capitals', async () => {
    nock(BASE_URL).get(EXTRACT_PATH).query({ vin: VIN }).reply(200, fixture('extract.json'));

    expect(await buildVehicles().registrationExtract(` ${VIN.toLowerCase()} `, CALL)).toEqual(expectedExtract());
  });

  it('returns PARTNER_BAD_RESPONSE when the document does not match its SHA-256', async () => {
    const body = fixture('extract.json');
    body.document.base64 = Buffer.from(body.content.replace('АЕ4127КС', 'АЕ0001КС'), 'utf8').toString('base64');
    nock(BASE_URL).get(EXTRACT_PATH).query(true).reply(200, body);

    const error = await buildVehicles().registrationExtract(VIN, CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the extract document does not match the partner's SHA-256" });
  });

  it('returns PARTNER_BAD_RESPONSE when the document is not base64', async () => {
    const body = fixture('extract.json');
    body.document.base64 = 'not base64!';
    nock(BASE_URL).get(EXTRACT_PATH).query(true).reply(200, body);

    const error = await buildVehicles().registrationExtract(VIN, CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's extract does not have the expected shape" });
  });

  it('returns NOT_FOUND for a VIN the registry does not know', async () => {
    nock(BASE_URL).get(EXTRACT_PATH).query(true).reply(404, { code: 'VEHICLE_NOT_FOUND', message: 'Транспортний засіб не зареєстровано' });

    const error = await buildVehicles().registrationExtract('1M8GDM9AXKP042788', CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'NOT_FOUND', partner: PARTNER, message: 'the partner has no such record' });
  });

  it('returns BAD_USER_INPUT without calling the registry when the call names no official or no purpose', async () => {
    const registry = nock(BASE_URL).get(EXTRACT_PATH).query(true).reply(200, fixture('extract.json'));
    const vehicles = buildVehicles();

    const errors = await Promise.all([{ requestId: 'r-3', purpose: 'A-017' }, { requestId: 'r-3', officialId: 'cnap-officer-17' }]
      .map((call) => vehicles.registrationExtract(VIN, call).then(describeError, describeError)));

    expect(errors).toEqual([1, 2].map(() => ({
      code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the registry requires the official and the purpose of the look-up',
    })));
    expect(registry.isDone()).toBe(false);
  });

  it('returns BAD_USER_INPUT for a malformed VIN without calling the registry', async () => {
    const registry = nock(BASE_URL).get(EXTRACT_PATH).query(true).reply(200, fixture('extract.json'));

    const error = await buildVehicles().registrationExtract('WVWZZZAUZHW12345O', CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the VIN must be 17 characters without I, O or Q' });
    expect(registry.isDone()).toBe(false);
  });

  it('never retries an extract, though it is a GET: the registry issues a new document on every call', async () => {
    nock(BASE_URL).get(EXTRACT_PATH).query(true).reply(503, 'Service Unavailable');
    const retry = nock(BASE_URL).get(EXTRACT_PATH).query(true).reply(200, fixture('extract.json'));

    const error = await buildVehicles({ retries: 2 }).registrationExtract(VIN, CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 503)' });
    expect(retry.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('returns PARTNER_UNAVAILABLE when the registry is down', async () => {
    nock(BASE_URL).get(EXTRACT_PATH).query(true).reply(503, 'Service Unavailable');

    const error = await buildVehicles().registrationExtract(VIN, CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 503)' });
  });
});
