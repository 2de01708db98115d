import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { kopiykyToHryvnias } from '../../adapters/electricity-kryvyi-rih/map.js';
import { CALL } from './harness.js';
import {
  ANDRII, ANDRII_POINTS, BASE_URL, EXPECTED_TARIFFS, OLENA, OLENA_POINTS, PARTNER, TARIFFS_PATH, TOKEN_FORM,
  api, buildElectricity, fixture, outcome, pointsPath, tokenEndpoint,
} from './electricity-kryvyi-rih.shared.js';

useNock();

const NOT_FOUND = { error: 'customer_not_found' };

describe('electricity-kryvyi-rih adapter', () => {
  it('maps both demo citizens\' metering points with zone readings and the tariff in force, on one token', async () => {
    const token = tokenEndpoint('tok-1');
    const partner = api('tok-1')
      .get(pointsPath(OLENA)).reply(200, fixture('metering-points-olena.json'))
      .get(pointsPath(ANDRII)).reply(200, fixture('metering-points-andrii.json'))
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.json'));

    expect(await buildElectricity().accountsByTaxIds([OLENA, ANDRII], CALL)).toEqual([OLENA_POINTS, ANDRII_POINTS]);
    expect(token.isDone() && partner.isDone()).toBe(true);
  });

  it('returns an empty list for a customer the supplier does not know, without asking for tariffs', async () => {
    tokenEndpoint('tok-1');
    const partner = api('tok-1').get(pointsPath(ANDRII)).reply(404, NOT_FOUND);

    expect(await buildElectricity().accountsByTaxIds([ANDRII], CALL)).toEqual([[]]);
    expect(partner.isDone()).toBe(true);
  });

  it('returns PARTNER_BAD_RESPONSE for a 404 that does not say the customer is unknown', async () => {
    tokenEndpoint('tok-1');
    api('tok-1').get(pointsPath(ANDRII)).reply(404, '<html>Not Found</html>');

    expect(outcome(await buildElectricity().accountsByTaxIds([ANDRII], CALL))).toEqual([
      { code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message: 'the partner answered 404 without saying the customer is unknown' },
    ]);
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
    tokenEndpoint('tok-1');
    const partner = api('tok-1').get(/^\/api\/customers\/\d{10}\/metering-points$/).times(6).reply(async (uri) => {
      asked.push(uri.split('/')[3]);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      if (inFlight === 4) setTimeout(release, 50);
      await gate;
      inFlight -= 1;
      return uri.includes('1000000003') ? [400, { error: 'invalid_request' }] : [404, NOT_FOUND];
    });

    const result = await buildElectricity().accountsByTaxIds(taxIds, CALL);
    clearTimeout(fallback);

    expect(peak).toBe(4);
    expect([...asked].sort()).toEqual(taxIds);
    expect(partner.isDone()).toBe(true);
    expect(outcome(result)).toEqual([[], [],
      { code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (HTTP 400)' }, [], [], []]);
  });

  it('caches tariffs across calls: the second call and the accounts make no tariffs request', async () => {
    tokenEndpoint('tok-1');
    const partner = api('tok-1')
      .get(TARIFFS_PATH).once().reply(200, fixture('tariffs.json'))
      .get(pointsPath(ANDRII)).reply(200, fixture('metering-points-andrii.json'));
    const electricity = buildElectricity();

    expect(await electricity.tariffs(CALL)).toEqual(EXPECTED_TARIFFS);
    expect(await electricity.tariffs(CALL)).toEqual(EXPECTED_TARIFFS);
    expect(await electricity.accountsByTaxIds([ANDRII], CALL)).toEqual([ANDRII_POINTS]);
    expect(partner.isDone()).toBe(true);
  });

  it('sends its client credentials form-encoded, and refused credentials are PARTNER_UNAVAILABLE', async () => {
    const token = nock(BASE_URL)
      .post('/oauth/token', { ...TOKEN_FORM, client_secret: 'wrong' })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(401, { error: 'invalid_client', error_description: 'client authentication failed' });

    const electricity = buildElectricity({ secrets: { clientId: TOKEN_FORM.client_id, clientSecret: 'wrong' } });
    expect(outcome(await electricity.accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner refused our credentials (HTTP 401)' },
    ]);
    expect(token.isDone()).toBe(true);
  });

  it('returns PARTNER_UNAVAILABLE when the token endpoint rejects the grant with 400', async () => {
    nock(BASE_URL).post('/oauth/token').reply(400, { error: 'unsupported_grant_type' });

    expect(outcome(await buildElectricity().accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner did not issue an access token' },
    ]);
  });
});

describe('electricity-kryvyi-rih prices', () => {
  it('turns kopiyky per kWh into hryvnias by moving the point, never through a float', () => {
    const texts = ['432', '172.8', '400', '432.50', '5', '0.5', '1000', '0.05'];
    expect(texts.map(kopiykyToHryvnias)).toEqual(['4.32', '1.728', '4.00', '4.325', '0.05', '0.005', '10.00', '0.0005']);
  });
});
