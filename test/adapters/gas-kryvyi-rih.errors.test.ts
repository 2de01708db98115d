import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import { BASE_URL, LOOKUP_PATH, OLENA_ACCOUNT, PARTNER, TARIFFS_PATH, buildGas, describeError, fixture } from './gas-kryvyi-rih.shared.js';
import adapter from '../../adapters/gas-kryvyi-rih/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

const OLENA = '3111901220';
const ANDRII = '2660404572';

/** batch-lookup.json with one change to the first found account of a tax id. */
function lookupWith(taxId: string, change: (account: Record<string, unknown>) => void): object {
  const body = fixture('batch-lookup.json') as { results: Array<{ taxId: string; accounts?: Array<Record<string, unknown>> }> };
  change(body.results.find((r) => r.taxId === taxId)!.accounts![0]);
  return body;
}

/** A failed call is the error of each of its keys: the batch resolves, with the error in every place. */
async function batchError(reply: (scope: nock.Interceptor) => nock.Scope, timeoutMs?: number): Promise<unknown> {
  reply(nock(BASE_URL).post(LOOKUP_PATH));
  const results = await buildGas({ timeoutMs }).accountsByTaxIds([OLENA, ANDRII], CALL);
  expect(results).toHaveLength(2);
  expect(results[1]).toBe(results[0]);
  return describeError(results[0]);
}

describe('gas-kryvyi-rih errors', () => {
  it('returns BAD_USER_INPUT when the partner rejects the request with HTTP 400', async () => {
    const error = await batchError((i) => i.reply(400, { error: { code: 'INVALID_ARGUMENT', message: 'at most 50 taxIds per call' } }));
    expect(error).toEqual({ code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (HTTP 400)' });
  });

  it('returns PARTNER_UNAVAILABLE when the partner fails with HTTP 500', async () => {
    const error = await batchError((i) => i.times(ATTEMPTS).reply(500, { error: { code: 'INTERNAL', message: 'internal error' } }));
    expect(error).toEqual({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' });
  });

  it('returns PARTNER_TIMEOUT when the partner is slow', async () => {
    const error = await batchError((i) => i.delay(1000).reply(200, fixture('batch-lookup.json') as object), 100);
    expect(error).toEqual({ code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' });
  });

  it('returns PARTNER_BAD_RESPONSE for the whole batch when the answer is not JSON', async () => {
    const error = await batchError((i) => i.reply(200, '<html>maintenance</html>', { 'Content-Type': 'text/html' }));
    expect(error).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: 'the partner answered with a body that is not valid JSON' });
  });

  it('returns PARTNER_BAD_RESPONSE for the whole batch when the envelope has the wrong shape', async () => {
    const error = await batchError((i) => i.reply(200, { items: [] }));
    expect(error).toEqual({
      code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's batch lookup answer does not have the expected shape",
    });
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for a malformed record and maps the others', async () => {
    nock(BASE_URL)
      .post(LOOKUP_PATH).reply(200, lookupWith(ANDRII, (a) => { a.balanceKop = '2752.00'; }))
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.json') as object);

    const results = await buildGas().accountsByTaxIds([OLENA, ANDRII], CALL);

    expect(results.map(describeError)).toEqual([
      [OLENA_ACCOUNT],
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's lookup result does not have the expected shape" },
    ]);
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for an EIC that fails its check', async () => {
    nock(BASE_URL)
      .post(LOOKUP_PATH).reply(200, lookupWith(ANDRII, (a) => { a.eic = '56ZKR0000067890X'; }))
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.json') as object);

    const [, andrii] = await buildGas().accountsByTaxIds([OLENA, ANDRII], CALL);

    expect(describeError(andrii)).toEqual({
      code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's lookup result does not have the expected shape",
    });
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for an account on a tariff the partner does not list', async () => {
    nock(BASE_URL)
      .post(LOOKUP_PATH).reply(200, lookupWith(ANDRII, (a) => { a.tariffId = 'KRG-UNKNOWN'; }))
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.json') as object);

    const results = await buildGas().accountsByTaxIds([OLENA, ANDRII], CALL);

    expect(results.map(describeError)).toEqual([
      [OLENA_ACCOUNT],
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's account cannot be mapped" },
    ]);
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for a tax id the answer leaves out', async () => {
    nock(BASE_URL).post(LOOKUP_PATH).reply(200, { results: [{ taxId: '1234567890', found: false }] });

    const results = await buildGas().accountsByTaxIds(['1234567890', '1111111111'], CALL);

    expect(results.map(describeError)).toEqual([
      [],
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: 'the partner left a requested record out of its answer' },
    ]);
  });

  it('returns PARTNER_UNAVAILABLE for the batch when the tariffs its accounts need cannot be fetched', async () => {
    nock(BASE_URL)
      .post(LOOKUP_PATH).reply(200, fixture('batch-lookup.json') as object)
      .get(TARIFFS_PATH).times(ATTEMPTS).reply(502, 'Bad Gateway');

    const results = await buildGas().accountsByTaxIds([OLENA], CALL);

    expect(results.map(describeError)).toEqual([{ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 502)' }]);
  });

  it('returns PARTNER_BAD_RESPONSE when a tariff has the wrong shape', async () => {
    const tariffs = fixture('tariffs.json') as Array<{ components: Array<{ pricePerUnit: unknown }> }>;
    tariffs[0].components[0].pricePerUnit = 7.96;
    nock(BASE_URL).get(TARIFFS_PATH).reply(200, tariffs);

    const error = await buildGas().tariffs(CALL).then(describeError, describeError);

    expect(error).toEqual({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: "the partner's tariff list does not have the expected shape" });
  });
});
