import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import adapter from '../../adapters/electricity-kryvyi-rih/index.js';
import type { Clock } from '../../platform/clock.js';
import { buildAdapter, CALL } from './harness.js';
import {
  ANDRII, ANDRII_POINTS, BASE_URL, CLIENT, OLENA, PARTNER, TARIFFS_PATH, api, fixture, outcome, pointsPath, tokenEndpoint,
} from './electricity-kryvyi-rih.shared.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

/** A clock the test moves by hand. */
function testClock(iso: string): Clock & { advance(seconds: number): void } {
  let ms = Date.parse(iso);
  return { now: () => new Date(ms), advance: (seconds) => { ms += seconds * 1000; } };
}

/** The adapter as production builds it (harness.ts), with a clock the test moves and a logger it reads. */
function build(clock: Clock, lines: string[] = []) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, secrets: CLIENT, clock, logLines: lines }).ops;
}

const INVALID_TOKEN = { error: 'invalid_token', error_description: 'the access token is missing, unknown or expired' };
const andrii = () => fixture('metering-points-andrii.json');

describe('electricity-kryvyi-rih access tokens', () => {
  it('fetches one token for several calls, concurrent or not', async () => {
    const clock = testClock('2026-11-05T09:30:00Z');
    const token = tokenEndpoint('tok-1');
    const partner = api('tok-1').get(TARIFFS_PATH).reply(200, fixture('tariffs.json'))
      .get(pointsPath(ANDRII)).times(3).reply(200, andrii)
      .get(pointsPath(OLENA)).times(3).reply(404, { error: 'customer_not_found' });
    const electricity = build(clock);

    await electricity.accountsByTaxIds([ANDRII, OLENA], CALL);
    clock.advance(200);
    await electricity.accountsByTaxIds([OLENA, ANDRII], CALL);
    clock.advance(69);
    const last = await electricity.accountsByTaxIds([ANDRII, OLENA], CALL);

    expect(last.map((r) => (Array.isArray(r) ? r.map((a) => a.accountNumber) : r))).toEqual([[ANDRII_POINTS[0].accountNumber], []]);
    expect(token.isDone() && partner.isDone()).toBe(true);
  });

  it('renews the token shortly before it expires, by the adapter\'s clock', async () => {
    const clock = testClock('2026-11-05T09:30:00Z');
    const first = tokenEndpoint('tok-1');
    api('tok-1').get(pointsPath(OLENA)).reply(404, { error: 'customer_not_found' });
    const electricity = build(clock);
    expect(await electricity.accountsByTaxIds([OLENA], CALL)).toEqual([[]]);

    // 300 s tokens are renewed 30 s early: at 271 s the old one is not used again.
    clock.advance(271);
    const second = tokenEndpoint('tok-2');
    const partner = api('tok-2').get(pointsPath(ANDRII)).reply(200, andrii).get(TARIFFS_PATH).reply(200, fixture('tariffs.json'));
    const result = await electricity.accountsByTaxIds([ANDRII], CALL);

    expect(result.map((r) => (Array.isArray(r) ? r.map((a) => a.accountNumber) : r))).toEqual([[ANDRII_POINTS[0].accountNumber]]);
    expect(first.isDone() && second.isDone() && partner.isDone()).toBe(true);
  });

  it('fetches a new token once and retries the call once when the partner refuses the token', async () => {
    const clock = testClock('2026-11-05T09:30:00Z');
    const tokens = nock(BASE_URL).post('/oauth/token')
      .reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 300 })
      .post('/oauth/token')
      .reply(200, { access_token: 'tok-2', token_type: 'bearer', expires_in: 300 });
    // The partner restarted and forgot tok-1 while it still looked valid to us.
    const refused = api('tok-1').get(pointsPath(ANDRII)).reply(401, INVALID_TOKEN);
    const partner = api('tok-2').get(pointsPath(ANDRII)).reply(200, andrii).get(TARIFFS_PATH).reply(200, fixture('tariffs.json'));
    const electricity = build(clock);

    expect(await electricity.accountsByTaxIds([ANDRII], CALL)).toEqual([ANDRII_POINTS]);
    expect(tokens.isDone() && refused.isDone() && partner.isDone()).toBe(true);
  });

  it('returns PARTNER_UNAVAILABLE when the partner refuses the renewed token too', async () => {
    nock(BASE_URL).post('/oauth/token').reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 300 })
      .post('/oauth/token').reply(200, { access_token: 'tok-2', token_type: 'Bearer', expires_in: 300 });
    api('tok-1').get(pointsPath(ANDRII)).reply(401, INVALID_TOKEN);
    api('tok-2').get(pointsPath(ANDRII)).reply(401, INVALID_TOKEN);

    expect(outcome(await build(testClock('2026-11-05T09:30:00Z')).accountsByTaxIds([ANDRII], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner refused our credentials (HTTP 401)' },
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('renews once when concurrent calls are refused together', async () => {
    nock(BASE_URL).post('/oauth/token').reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 300 })
      .post('/oauth/token').reply(200, { access_token: 'tok-2', token_type: 'Bearer', expires_in: 300 });
    // One refusal arrives late, after the token was renewed: it must not throw the new token away.
    api('tok-1').get(/metering-points$/).times(2).reply(401, INVALID_TOKEN).get(/metering-points$/).delay(100).reply(401, INVALID_TOKEN);
    api('tok-2').get(/metering-points$/).times(3).reply(404, { error: 'customer_not_found' });

    expect(await build(testClock('2026-11-05T09:30:00Z')).accountsByTaxIds(['1000000001', '1000000002', '1000000003'], CALL)).toEqual([[], [], []]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('does not keep a failed token fetch: the next call asks again', async () => {
    nock(BASE_URL).post('/oauth/token').times(ATTEMPTS).reply(500, 'Internal Server Error');
    tokenEndpoint('tok-1');
    api('tok-1').get(pointsPath(OLENA)).reply(404, { error: 'customer_not_found' });
    const electricity = build(testClock('2026-11-05T09:30:00Z'));

    expect(outcome(await electricity.accountsByTaxIds([OLENA], CALL))).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' },
    ]);
    expect(await electricity.accountsByTaxIds([OLENA], CALL)).toEqual([[]]);
  });

  it('never logs the access token or the client secret', async () => {
    const lines: string[] = [];
    tokenEndpoint('tok-secret-1');
    api('tok-secret-1').get(pointsPath(ANDRII)).reply(401, INVALID_TOKEN);
    tokenEndpoint('tok-secret-2');
    api('tok-secret-2').get(pointsPath(ANDRII)).reply(200, andrii).get(TARIFFS_PATH).reply(200, fixture('tariffs.json'));

    await build(testClock('2026-11-05T09:30:00Z'), lines).accountsByTaxIds([ANDRII], CALL);

    expect(lines.length).toBeGreaterThan(3);
    expect(lines.filter((l) => /tok-secret|vikno-secret|2660404572/.test(l))).toEqual([]);
  });
});
