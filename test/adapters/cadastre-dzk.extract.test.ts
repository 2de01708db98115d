import { useNock } from '../helpers/nock.js';
import { createHash } from 'node:crypto';
import nock from 'nock';
import { CALL } from './harness.js';
import { BASE_URL, EXTRACT_PATH, PARTNER, X_ROAD, buildCadastre, describeError, expectedExtract, fixture } from './cadastre-dzk.shared.js';

useNock();

const PARCEL = '1211000000:02:015:0042';

describe('cadastre-dzk extracts', () => {
  it('issues an extract and checks its document against the SHA-256', async () => {
    const registry = nock(BASE_URL, {
      reqheaders: { 'x-road-client': X_ROAD.xRoadClient, 'x-road-userid': 'cnap-officer-17', 'x-road-issue': 'A-017' },
    }).post(EXTRACT_PATH, { cadastralNumber: PARCEL }).reply(200, fixture('extract.json'));

    const extract = await buildCadastre().parcelExtract(PARCEL, { requestId: 'r-1', officialId: 'cnap-officer-17', purpose: 'A-017' });

    expect(extract).toEqual(expectedExtract());
    expect(registry.isDone()).toBe(true);
  });

  it('accepts a SHA-256 the registry writes in capitals', async () => {
    const body = fixture('extract.json');
    body.document.sha256 = body.document.sha256.toUpperCase();
    nock(BASE_URL).post(EXTRACT_PATH).reply(200, body);

    expect(await buildCadastre().parcelExtract(PARCEL, CALL)).toEqual(expectedExtract());
  });

  it('returns PARTNER_BAD_RESPONSE when the document does not match its SHA-256', async () => {
    const body = fixture('extract.json');
    body.document.base64 = Buffer.from('ВИТЯГ, що не відповідає підпису\n', 'utf8').toString('base64');
    nock(BASE_URL).post(EXTRACT_PATH).reply(200, body);

    const error = await buildCadastre().parcelExtract(PARCEL, CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the extract document does not match the partner's SHA-256" });
  });

  it('returns PARTNER_BAD_RESPONSE when the SHA-256 is of another document', async () => {
    const body = fixture('extract.json');
    body.document.sha256 = createHash('sha256').update('something else').digest('hex');
    nock(BASE_URL).post(EXTRACT_PATH).reply(200, body);

    const error = await buildCadastre().parcelExtract(PARCEL, CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the extract document does not match the partner's SHA-256" });
  });

  it('returns PARTNER_BAD_RESPONSE when the extract has the wrong shape', async () => {
    const body = fixture('extract.json');
    delete body.registrar;
    nock(BASE_URL).post(EXTRACT_PATH).reply(200, body);

    const error = await buildCadastre().parcelExtract(PARCEL, CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's extract does not have the expected shape" });
  });

  it('returns NOT_FOUND for a parcel the registry does not know', async () => {
    nock(BASE_URL).post(EXTRACT_PATH).reply(404, { code: 'PARCEL_NOT_FOUND', message: 'Земельну ділянку не знайдено' });

    const error = await buildCadastre().parcelExtract('1211000000:09:999:9999', CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'NOT_FOUND', partner: PARTNER, message: 'the partner has no such record' });
  });

  it('returns BAD_USER_INPUT without calling the registry when the call names no official or no purpose', async () => {
    const registry = nock(BASE_URL).post(EXTRACT_PATH).reply(200, fixture('extract.json'));
    const cadastre = buildCadastre();

    const errors = await Promise.all([{ requestId: 'r-3', purpose: 'A-017' }, { requestId: 'r-3', officialId: 'cnap-officer-17' }]
      .map((call) => cadastre.parcelExtract(PARCEL, call).then(describeError, describeError)));

    expect(errors).toEqual([1, 2].map(() => ({
      code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the registry requires the official and the purpose of the look-up',
    })));
    expect(registry.isDone()).toBe(false);
  });

  it('returns BAD_USER_INPUT for a malformed cadastral number without calling the registry', async () => {
    const registry = nock(BASE_URL).post(EXTRACT_PATH).reply(200, fixture('extract.json'));

    const error = await buildCadastre().parcelExtract('1211000000-02-015-0042', CALL).then(describeError, describeError);

    expect(error).toEqual({
      code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the cadastral number must look like KOATUU:zone:quarter:parcel (10:2:3:4 digits)',
    });
    expect(registry.isDone()).toBe(false);
  });

  it('returns PARTNER_TIMEOUT when the registry is slow to issue the extract', async () => {
    nock(BASE_URL).post(EXTRACT_PATH).delay(1000).reply(200, fixture('extract.json'));

    const error = await buildCadastre({ timeoutMs: 100 }).parcelExtract(PARCEL, CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' });
  });

  it('asks the registry for every extract: extracts are issued, never cached', async () => {
    const registry = nock(BASE_URL).post(EXTRACT_PATH).twice().reply(200, fixture('extract.json'));
    const cadastre = buildCadastre();

    await cadastre.parcelExtract(PARCEL, CALL);
    await cadastre.parcelExtract(PARCEL, CALL);

    expect(registry.isDone()).toBe(true);
  });
});
