import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ACCOUNTS_PATH, ANDRII, BASE_URL, EXPECTED_TARIFFS, OLENA, OLENA_ACCOUNTS, PARTNER, RETRY_NOW, TARIFFS_PATH, TOKEN,
  buildWater, fixture, outcome, query,
} from './water-kryvyi-rih.shared.js';

useNock();

const THROTTLED = { error: { code: 'rate_limited', message: 'at most 20 requests per second' } };

describe('water-kryvyi-rih adapter', () => {
  it('maps a demo citizen\'s three accounts, following both pages, with the tariff in force', async () => {
    const partner = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get(ACCOUNTS_PATH).query(query(OLENA, 1)).reply(200, fixture('accounts-page-1.json'))
      .get(ACCOUNTS_PATH).query(query(OLENA, 2)).reply(200, fixture('accounts-page-2.json'))
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.json'));

    expect(await buildWater().accountsByTaxIds([OLENA], CALL)).toEqual([OLENA_ACCOUNTS]);
    expect(partner.isDone()).toBe(true);
  });

  it('returns an empty list for a citizen the utility does not know, without asking for tariffs', async () => {
    const partner = nock(BASE_URL).get(ACCOUNTS_PATH).query(query(ANDRII, 1)).reply(200, fixture('empty-page.json'));

    expect(await buildWater().accountsByTaxIds([ANDRII], CALL)).toEqual([[]]);
    expect(partner.isDone()).toBe(true);
  });

  it('asks once per tax id, in key order, with at most four calls in flight', async () => {
    const taxIds = ['1000000001', '1000000002', '1000000003', '1000000004', '1000000005', '1000000006'];
    let inFlight = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    // Holds the first four calls; the grace period only matters if a fifth one (a broken bound) is on its way.
    const fallback = setTimeout(release, 5000);
    const asked: string[] = [];
    const partner = nock(BASE_URL).get(ACCOUNTS_PATH).query(true).times(6).reply(async (uri) => {
      asked.push(new URL(uri, BASE_URL).searchParams.get('owner_tax_id')!);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      if (inFlight === 4) setTimeout(release, 50);
      await gate;
      inFlight -= 1;
      return uri.includes('1000000003')
        ? [422, { error: { code: 'validation_failed', message: 'owner_tax_id is not registered' } }]
        : [200, fixture('empty-page.json')];
    });

    const result = await buildWater().accountsByTaxIds(taxIds, CALL);
    clearTimeout(fallback);

    expect(peak).toBe(4);
    expect([...asked].sort()).toEqual(taxIds);
    expect(partner.isDone()).toBe(true);
    // A failing key fails alone, in its own place.
    expect(outcome(result)).toEqual([[], [],
      { code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (HTTP 422)' }, [], [], []]);
  });

  it('sends the bearer token it was given, and a refused token is PARTNER_UNAVAILABLE', async () => {
    nock(BASE_URL).matchHeader('authorization', 'Bearer other-token').get(ACCOUNTS_PATH).query(true)
      .reply(401, { error: { code: 'unauthorized', message: 'a valid bearer token is required' } });

    expect(outcome(await buildWater({ secrets: { token: 'other-token' } }).accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner refused our credentials (HTTP 401)' },
    ]);
  });

  it('caches tariffs across calls: the second call and the accounts make no tariffs request', async () => {
    const partner = nock(BASE_URL)
      .get(TARIFFS_PATH).once().reply(200, fixture('tariffs.json'))
      .get(ACCOUNTS_PATH).query(query(OLENA, 1)).reply(200, fixture('accounts-page-1.json'))
      .get(ACCOUNTS_PATH).query(query(OLENA, 2)).reply(200, fixture('accounts-page-2.json'));
    const water = buildWater();

    expect(await water.tariffs(CALL)).toEqual(EXPECTED_TARIFFS);
    expect(await water.tariffs(CALL)).toEqual(EXPECTED_TARIFFS);
    expect(await water.accountsByTaxIds([OLENA], CALL)).toEqual([OLENA_ACCOUNTS]);
    expect(partner.isDone()).toBe(true);
  });

  it('waits out one 429 as Retry-After asks, then maps the answer', async () => {
    const partner = nock(BASE_URL)
      .get(ACCOUNTS_PATH).query(query(ANDRII, 1)).reply(429, THROTTLED, RETRY_NOW)
      .get(ACCOUNTS_PATH).query(query(ANDRII, 1)).reply(200, fixture('empty-page.json'));

    expect(await buildWater().accountsByTaxIds([ANDRII], CALL)).toEqual([[]]);
    expect(partner.isDone()).toBe(true);
  });

  it('returns PARTNER_UNAVAILABLE when the partner throttles twice in a row', async () => {
    const partner = nock(BASE_URL).get(ACCOUNTS_PATH).query(query(ANDRII, 1)).twice().reply(429, THROTTLED, RETRY_NOW);

    expect(outcome(await buildWater().accountsByTaxIds([ANDRII], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner is throttling calls (HTTP 429)' },
    ]);
    expect(partner.isDone()).toBe(true);
  });
});
