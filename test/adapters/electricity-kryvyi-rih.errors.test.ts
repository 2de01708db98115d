import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ANDRII, BASE_URL, OLENA, OLENA_POINTS, PARTNER, TARIFFS_PATH, api, buildElectricity, fixture, outcome, pointsPath, tokenEndpoint,
} from './electricity-kryvyi-rih.shared.js';
import adapter from '../../adapters/electricity-kryvyi-rih/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

const badResponse = (message: string) => ({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message });

type Points = { meteringPoints: Array<Record<string, unknown>> };

/** Olena's metering points with a change, and Andrii unknown to the supplier. */
function olenaChanged(change: (body: Points) => void, withTariffs = true) {
  const body = fixture('metering-points-olena.json') as Points;
  change(body);
  tokenEndpoint('tok-1');
  const scope = api('tok-1')
    .get(pointsPath(OLENA)).reply(200, body)
    .get(pointsPath(ANDRII)).reply(404, { error: 'customer_not_found' });
  if (withTariffs) scope.get(TARIFFS_PATH).reply(200, fixture('tariffs.json'));
}

describe('electricity-kryvyi-rih adapter, when the partner fails', () => {
  it('returns PARTNER_UNAVAILABLE when the partner answers 500', async () => {
    tokenEndpoint('tok-1');
    api('tok-1').get(pointsPath(OLENA)).times(ATTEMPTS).reply(500, 'Internal Server Error');

    expect(outcome(await buildElectricity().accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' },
    ]);
  });

  it('returns PARTNER_TIMEOUT when the partner is slow', async () => {
    tokenEndpoint('tok-1');
    api('tok-1').get(pointsPath(OLENA)).delay(1000).reply(200, fixture('metering-points-olena.json'));

    expect(outcome(await buildElectricity({ timeoutMs: 100 }).accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' },
    ]);
  });

  it('returns PARTNER_TIMEOUT when the token endpoint is slow', async () => {
    nock(BASE_URL).post('/oauth/token').delay(1000).reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 300 });

    expect(outcome(await buildElectricity({ timeoutMs: 100 }).accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' },
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE for the key whose answer is malformed, and the other key\'s answer', async () => {
    olenaChanged((body) => { body.meteringPoints[0].balanceKop = '3589.10'; }, false);

    expect(outcome(await buildElectricity().accountsByTaxIds([OLENA, ANDRII], CALL))).toEqual([
      badResponse("the partner's metering points does not have the expected shape"),
      [],
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE when an EIC fails its check', async () => {
    olenaChanged((body) => { body.meteringPoints[1].eic = '62Z564559052712Z'; });

    expect(outcome(await buildElectricity().accountsByTaxIds([OLENA, ANDRII], CALL))).toEqual([
      badResponse('a metering point has an EIC that fails its check'),
      [],
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE when a metering point refers to a tariff the partner does not list', async () => {
    olenaChanged((body) => { body.meteringPoints[0].tariffCode = 'KREK-2Z-1999-01'; });

    expect(outcome(await buildElectricity().accountsByTaxIds([OLENA], CALL))).toEqual([
      badResponse('a metering point refers to a tariff the partner does not list'),
    ]);
  });

  it('fails only the keys with metering points when tariffs fail, and does not cache the failure', async () => {
    olenaChanged(() => {}, false);
    api('tok-1')
      .get(TARIFFS_PATH).times(ATTEMPTS).reply(500, 'Internal Server Error')
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.json'))
      .get(pointsPath(OLENA)).reply(200, fixture('metering-points-olena.json'));
    const electricity = buildElectricity();

    expect(outcome(await electricity.accountsByTaxIds([OLENA, ANDRII], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' },
      [],
    ]);
    expect(await electricity.accountsByTaxIds([OLENA], CALL)).toEqual([OLENA_POINTS]);
  });

  it('returns PARTNER_BAD_RESPONSE when the tariffs are malformed', async () => {
    const tariffs = fixture('tariffs.json') as { tariffs: Array<{ rates: Array<Record<string, unknown>> }> };
    tariffs.tariffs[2].rates[2].priceKopPerKwh = 172.8;
    tokenEndpoint('tok-1');
    api('tok-1').get(TARIFFS_PATH).reply(200, tariffs);

    const error = await buildElectricity().tariffs(CALL).catch((e: Error) => e);
    expect(outcome([error])).toEqual([badResponse("the partner's tariffs does not have the expected shape")]);
  });

  it('returns PARTNER_BAD_RESPONSE when the token answer is malformed', async () => {
    nock(BASE_URL).post('/oauth/token').reply(200, { access_token: 'tok-1', token_type: 'mac', expires_in: 300 });

    expect(outcome(await buildElectricity().accountsByTaxIds([OLENA], CALL))).toEqual([
      badResponse("the partner's token answer does not have the expected shape"),
    ]);
  });
});
