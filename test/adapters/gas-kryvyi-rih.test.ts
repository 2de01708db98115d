import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ANDRII_ACCOUNT, API_KEY, BASE_URL, CURRENT_TARIFF, LOOKUP_PATH, OLENA_ACCOUNT, PARTNER, PAST_TARIFF, TARIFFS_PATH,
  buildGas, describeError, fixture,
} from './gas-kryvyi-rih.shared.js';
import adapter from '../../adapters/gas-kryvyi-rih/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

const taxIdsOf = (n: number, from = 1_000_000_000) => Array.from({ length: n }, (_, i) => String(from + i));
const notFound = (taxIds: string[]) => ({ results: taxIds.map((taxId) => ({ taxId, found: false })) });

describe('gas-kryvyi-rih adapter', () => {
  it('maps the demo citizens and an unknown person from one batch lookup, in key order', async () => {
    const partner = nock(BASE_URL)
      .matchHeader('x-api-key', API_KEY)
      .post(LOOKUP_PATH, { taxIds: ['3111901220', '1234567890', '2660404572'] })
      .reply(200, fixture('batch-lookup.json') as object)
      .get(TARIFFS_PATH)
      .reply(200, fixture('tariffs.json') as object);

    const results = await buildGas().accountsByTaxIds(['3111901220', '1234567890', '2660404572'], CALL);

    expect(results).toEqual([[OLENA_ACCOUNT], [], [ANDRII_ACCOUNT]]);
    expect(partner.isDone()).toBe(true);
  });

  it('answers [] for a person the partner does not know, without fetching tariffs', async () => {
    const partner = nock(BASE_URL).post(LOOKUP_PATH, { taxIds: ['1234567890'] }).reply(200, notFound(['1234567890']));

    expect(await buildGas().accountsByTaxIds(['1234567890'], CALL)).toEqual([[]]);
    expect(partner.isDone()).toBe(true);
  });

  it('asks for a batch of 30 tax ids in ONE call', async () => {
    const keys = taxIdsOf(30);
    const partner = nock(BASE_URL).post(LOOKUP_PATH, { taxIds: keys }).once().reply(200, notFound([...keys].reverse()));

    const results = await buildGas().accountsByTaxIds(keys, CALL);

    expect(results).toEqual(keys.map(() => []));
    expect(partner.isDone()).toBe(true);
  });

  it('splits more than 50 tax ids into calls of at most 50', async () => {
    const keys = taxIdsOf(120);
    const bodies: string[][] = [];
    nock(BASE_URL).post(LOOKUP_PATH).times(3).reply(200, (_uri, body) => {
      const { taxIds } = body as { taxIds: string[] };
      bodies.push(taxIds);
      return notFound(taxIds);
    });

    const results = await buildGas().accountsByTaxIds(keys, CALL);

    expect(results).toEqual(keys.map(() => []));
    expect(bodies.map((b) => b.length).sort()).toEqual([20, 50, 50]);
    expect(bodies.flat().sort()).toEqual(keys);
  });

  it('asks once for a tax id repeated in the keys and answers each position', async () => {
    nock(BASE_URL).post(LOOKUP_PATH, { taxIds: ['1234567890'] }).reply(200, notFound(['1234567890']));

    expect(await buildGas().accountsByTaxIds(['1234567890', '1234567890'], CALL)).toEqual([[], []]);
  });

  it('sends the API key it was given', async () => {
    const partner = nock(BASE_URL, { reqheaders: { 'x-api-key': 'another-key' } })
      .post(LOOKUP_PATH)
      .reply(200, notFound(['1234567890']));

    await buildGas({ secrets: { apiKey: 'another-key' } }).accountsByTaxIds(['1234567890'], CALL);

    expect(partner.isDone()).toBe(true);
  });

  it('returns PARTNER_UNAVAILABLE when the partner refuses the API key', async () => {
    nock(BASE_URL).post(LOOKUP_PATH).reply(401, { error: { code: 'UNAUTHENTICATED', message: 'missing or invalid API key' } });

    const results = buildGas({ secrets: { apiKey: 'wrong' } }).accountsByTaxIds(['1234567890'], CALL);

    expect((await results).map(describeError)).toEqual([{
      code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner refused our credentials (HTTP 401)',
    }]);
  });
});

describe('gas-kryvyi-rih tariffs', () => {
  it('maps the published tariffs, current and past', async () => {
    nock(BASE_URL).matchHeader('x-api-key', API_KEY).get(TARIFFS_PATH).reply(200, fixture('tariffs.json') as object);

    expect(await buildGas().tariffs(CALL)).toEqual([CURRENT_TARIFF, PAST_TARIFF]);
  });

  it('caches tariffs across calls: the second call makes no HTTP request', async () => {
    const partner = nock(BASE_URL).get(TARIFFS_PATH).once().reply(200, fixture('tariffs.json') as object);
    const gas = buildGas();

    const first = await gas.tariffs(CALL);
    const second = await gas.tariffs(CALL);

    expect(second).toEqual(first);
    expect(partner.isDone()).toBe(true);
  });

  it('uses the cached tariffs for accounts too', async () => {
    nock(BASE_URL)
      .get(TARIFFS_PATH).once().reply(200, fixture('tariffs.json') as object)
      .post(LOOKUP_PATH).twice().reply(200, fixture('batch-lookup.json') as object);
    const gas = buildGas();

    await gas.tariffs(CALL);
    const results = await gas.accountsByTaxIds(['3111901220'], CALL);
    const again = await gas.accountsByTaxIds(['2660404572'], CALL);

    expect([results, again]).toEqual([[[OLENA_ACCOUNT]], [[ANDRII_ACCOUNT]]]);
  });

  it('does not cache a failure: the next call asks the partner again', async () => {
    nock(BASE_URL)
      .get(TARIFFS_PATH).times(ATTEMPTS).reply(503, 'Service Unavailable')
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.json') as object);
    const gas = buildGas();

    await expect(gas.tariffs(CALL).catch(describeError)).resolves.toEqual({
      code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 503)',
    });
    expect(await gas.tariffs(CALL)).toEqual([CURRENT_TARIFF, PAST_TARIFF]);
  });
});
