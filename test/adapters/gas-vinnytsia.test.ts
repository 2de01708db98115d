import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ABONENTS_PATH, ANDRII, ANDRII_DISCONNECTED, ANDRII_HOUSE, BASE_URL, BASIC_AUTH, CSV_TYPE, CURRENT_TARIFF, OLENA, OLENA_ACCOUNT,
  PARTNER, PAST_TARIFF, TARIFFS_PATH, TEXT_TYPE, abonentsWith, buildVinnytsia, describeError, emptyExport, exportFile, fixture, requestBody,
} from './gas-vinnytsia.shared.js';
import adapter from '../../adapters/gas-vinnytsia/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

const taxIdsOf = (n: number, from = 1_000_000_000) => Array.from({ length: n }, (_, i) => String(from + i));
const linesOf = (body: string) => body.split('\r\n').filter((l) => l !== '');

describe('gas-vinnytsia adapter', () => {
  it('maps the demo citizens and a person without rows from one export call, in key order', async () => {
    const partner = nock(BASE_URL)
      .matchHeader('authorization', BASIC_AUTH)
      .post(ABONENTS_PATH, requestBody([OLENA, '1234567890', ANDRII]))
      .matchHeader('content-type', 'text/plain; charset=windows-1251')
      .reply(200, fixture('abonents.csv'), CSV_TYPE)
      .get(TARIFFS_PATH)
      .reply(200, fixture('tariffs.csv'), CSV_TYPE);

    const results = await buildVinnytsia().accountsByTaxIds([OLENA, '1234567890', ANDRII], CALL);

    expect(results).toEqual([[OLENA_ACCOUNT], [], [ANDRII_HOUSE, ANDRII_DISCONNECTED]]);
    expect(partner.isDone()).toBe(true);
  });

  it('answers [] for a person the export has no rows for, without fetching tariffs', async () => {
    const partner = nock(BASE_URL).post(ABONENTS_PATH, requestBody(['1234567890'])).reply(200, emptyExport(), CSV_TYPE);

    expect(await buildVinnytsia().accountsByTaxIds(['1234567890'], CALL)).toEqual([[]]);
    expect(partner.isDone()).toBe(true);
  });

  it('asks for a batch of 60 tax ids in ONE call', async () => {
    const keys = taxIdsOf(60);
    const partner = nock(BASE_URL).post(ABONENTS_PATH, requestBody(keys)).once().reply(200, emptyExport(), CSV_TYPE);

    const results = await buildVinnytsia().accountsByTaxIds(keys, CALL);

    expect(results).toEqual(keys.map(() => []));
    expect(partner.isDone()).toBe(true);
  });

  it('splits more than 100 tax ids into calls of at most 100', async () => {
    const keys = taxIdsOf(250);
    const bodies: string[][] = [];
    nock(BASE_URL).post(ABONENTS_PATH).times(3).reply(200, (_uri, body) => {
      bodies.push(linesOf(body as string));
      return emptyExport();
    }, CSV_TYPE);

    const results = await buildVinnytsia().accountsByTaxIds(keys, CALL);

    expect(results).toEqual(keys.map(() => []));
    expect(bodies.map((b) => b.length).sort()).toEqual([100, 100, 50]);
    expect(bodies.flat().sort()).toEqual(keys);
  });

  it('asks once for a tax id repeated in the keys and answers each position', async () => {
    nock(BASE_URL)
      .post(ABONENTS_PATH, requestBody([OLENA])).reply(200, fixture('abonents.csv'), CSV_TYPE)
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.csv'), CSV_TYPE);

    expect(await buildVinnytsia().accountsByTaxIds([OLENA, OLENA], CALL)).toEqual([[OLENA_ACCOUNT], [OLENA_ACCOUNT]]);
  });

  it('ignores the rows of a tax id it did not ask for, without even reading them', async () => {
    // The export also carries 2660404572 and 2345678907; the latter's EIC is broken on top.
    nock(BASE_URL)
      .post(ABONENTS_PATH, requestBody([OLENA])).reply(200, abonentsWith('A;2345678907', 'EIC', '56ZVN0000099999X'), CSV_TYPE)
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.csv'), CSV_TYPE);

    expect(await buildVinnytsia().accountsByTaxIds([OLENA], CALL)).toEqual([[OLENA_ACCOUNT]]);
  });

  it('sends HTTP Basic auth with the login and password it was given', async () => {
    const partner = nock(BASE_URL, { reqheaders: { authorization: `Basic ${Buffer.from('other:pa55').toString('base64')}` } })
      .post(ABONENTS_PATH)
      .reply(200, emptyExport(), CSV_TYPE);

    await buildVinnytsia({ secrets: { login: 'other', password: 'pa55' } }).accountsByTaxIds(['1234567890'], CALL);

    expect(partner.isDone()).toBe(true);
  });

  it('returns PARTNER_UNAVAILABLE when the partner refuses the credentials', async () => {
    nock(BASE_URL).post(ABONENTS_PATH).reply(401, exportFile(['Доступ заборонено: невірний логін або пароль']), TEXT_TYPE);

    const results = await buildVinnytsia({ secrets: { login: 'nobody', password: 'wrong' } }).accountsByTaxIds(['1234567890'], CALL);

    expect(results.map(describeError)).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner refused our credentials (HTTP 401)' },
    ]);
  });
});

describe('gas-vinnytsia tariffs', () => {
  it('maps the tariff catalogue, current and past, one tariff per code', async () => {
    nock(BASE_URL).matchHeader('authorization', BASIC_AUTH).get(TARIFFS_PATH).reply(200, fixture('tariffs.csv'), CSV_TYPE);

    expect(await buildVinnytsia().tariffs(CALL)).toEqual([CURRENT_TARIFF, PAST_TARIFF]);
  });

  it('caches tariffs across calls: the second call makes no HTTP request', async () => {
    const partner = nock(BASE_URL).get(TARIFFS_PATH).once().reply(200, fixture('tariffs.csv'), CSV_TYPE);
    const gas = buildVinnytsia();

    const first = await gas.tariffs(CALL);
    const second = await gas.tariffs(CALL);

    expect(second).toEqual(first);
    expect(partner.isDone()).toBe(true);
  });

  it('uses the cached tariffs for accounts too', async () => {
    nock(BASE_URL)
      .get(TARIFFS_PATH).once().reply(200, fixture('tariffs.csv'), CSV_TYPE)
      .post(ABONENTS_PATH).twice().reply(200, fixture('abonents.csv'), CSV_TYPE);
    const gas = buildVinnytsia();

    await gas.tariffs(CALL);
    const first = await gas.accountsByTaxIds([OLENA], CALL);
    const again = await gas.accountsByTaxIds([ANDRII], CALL);

    expect([first, again]).toEqual([[[OLENA_ACCOUNT]], [[ANDRII_HOUSE, ANDRII_DISCONNECTED]]]);
  });

  it('does not cache a failure: the next call asks the partner again', async () => {
    nock(BASE_URL)
      .get(TARIFFS_PATH).times(ATTEMPTS).reply(503, 'Service Unavailable')
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.csv'), CSV_TYPE);
    const gas = buildVinnytsia();

    await expect(gas.tariffs(CALL).catch(describeError)).resolves.toEqual({
      code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 503)',
    });
    expect(await gas.tariffs(CALL)).toEqual([CURRENT_TARIFF, PAST_TARIFF]);
  });
});
