import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ACCOUNTS_PATH, ANDRII, BASE_URL, EXPECTED_TARIFFS, OLENA, PARTNER, TARIFFS_PATH, buildWater, fixture, outcome, query,
} from './water-kryvyi-rih.shared.js';

useNock();

const badResponse = (message: string) => ({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message });

/** Olena's two pages, with a change made to the first one. */
function olenaPages(change: (page: { data: Array<Record<string, unknown>>; meta: Record<string, number> }) => void = () => {}) {
  const first = fixture('accounts-page-1.json') as { data: Array<Record<string, unknown>>; meta: Record<string, number> };
  change(first);
  return nock(BASE_URL)
    .get(ACCOUNTS_PATH).query(query(OLENA, 1)).reply(200, first)
    .get(ACCOUNTS_PATH).query(query(OLENA, 2)).reply(200, fixture('accounts-page-2.json'));
}

describe('water-kryvyi-rih adapter, when the partner fails', () => {
  it('returns BAD_USER_INPUT for the key the partner rejects with 422, and the other key\'s answer', async () => {
    nock(BASE_URL)
      .get(ACCOUNTS_PATH).query(query(OLENA, 1)).reply(422, { error: { code: 'validation_failed', message: 'owner_tax_id must be 10 digits' } })
      .get(ACCOUNTS_PATH).query(query(ANDRII, 1)).reply(200, fixture('empty-page.json'));

    expect(outcome(await buildWater().accountsByTaxIds([OLENA, ANDRII], CALL))).toEqual([
      { code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (HTTP 422)' },
      [],
    ]);
  });

  it('returns PARTNER_UNAVAILABLE when the partner answers 500', async () => {
    // A 500 is worth one retry (the adapter's retryLimit): both attempts fail.
    const partner = nock(BASE_URL).get(ACCOUNTS_PATH).query(query(OLENA, 1)).twice().reply(500, 'Internal Server Error');

    expect(outcome(await buildWater().accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' },
    ]);
    expect(partner.isDone()).toBe(true);
  });

  it('returns PARTNER_TIMEOUT when the partner is slow, without a retry that could not finish in time', async () => {
    const first = nock(BASE_URL).get(ACCOUNTS_PATH).query(query(OLENA, 1)).delay(1000).reply(200, fixture('empty-page.json'));
    const retry = nock(BASE_URL).get(ACCOUNTS_PATH).query(query(OLENA, 1)).reply(200, fixture('empty-page.json'));

    expect(outcome(await buildWater({ timeoutMs: 100 }).accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' },
    ]);
    expect(first.isDone()).toBe(true);
    expect(retry.isDone()).toBe(false);
  });

  it('returns PARTNER_BAD_RESPONSE for the key whose page is malformed, and the other key\'s answer', async () => {
    olenaPages((page) => { page.data[0].balance = 985.68; });
    nock(BASE_URL).get(ACCOUNTS_PATH).query(query(ANDRII, 1)).reply(200, fixture('empty-page.json'));

    expect(outcome(await buildWater().accountsByTaxIds([OLENA, ANDRII], CALL))).toEqual([
      badResponse("the partner's accounts page does not have the expected shape"),
      [],
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE when the pages do not add up to the announced total', async () => {
    olenaPages((page) => { page.meta.total = 4; });

    expect(outcome(await buildWater().accountsByTaxIds([OLENA], CALL))).toEqual([
      badResponse("the partner's pages do not add up to the total it announced"),
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE when an account refers to a tariff the partner does not list', async () => {
    olenaPages((page) => { page.data[1].tariff_id = 'KRV-VK-1999-01'; });
    nock(BASE_URL).get(TARIFFS_PATH).reply(200, fixture('tariffs.json'));

    expect(outcome(await buildWater().accountsByTaxIds([OLENA], CALL))).toEqual([
      badResponse('an account refers to a tariff the partner does not list'),
    ]);
  });

  it('fails only the keys with accounts when tariffs fail, and does not cache the failure', async () => {
    olenaPages();
    nock(BASE_URL)
      .get(ACCOUNTS_PATH).query(query(ANDRII, 1)).reply(200, fixture('empty-page.json'))
      .get(TARIFFS_PATH).times(2).reply(500, 'Internal Server Error') // the first attempt and its one retry
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.json'));
    const water = buildWater();

    expect(outcome(await water.accountsByTaxIds([OLENA, ANDRII], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' },
      [],
    ]);
    expect(await water.tariffs(CALL)).toEqual(EXPECTED_TARIFFS);
  });

  it('returns PARTNER_BAD_RESPONSE when the tariffs are malformed', async () => {
    const tariffs = fixture('tariffs.json') as { data: Array<{ components: Array<Record<string, unknown>> }> };
    tariffs.data[0].components[0].price_per_m3 = '14,796';
    nock(BASE_URL).get(TARIFFS_PATH).reply(200, tariffs);

    const error = await buildWater().tariffs(CALL).catch((e: Error) => e);
    expect(outcome([error])).toEqual([badResponse("the partner's tariffs does not have the expected shape")]);
  });
});
