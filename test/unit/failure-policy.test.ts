import nock from 'nock';
import { useNock } from '../helpers/nock.js';
import { createPartnerHttp } from '../../adapters/core/http.js';
import { createBreaker } from '../../adapters/core/breaker.js';
import { createQuota } from '../../adapters/core/quota.js';
import { FAILURE_POLICY, failureKind } from '../../adapters/core/failure.js';
import { silentLogger } from '../../platform/logger.js';
import { withDeadline } from '../../adapters/core/deadline.js';
import { PartnerBadResponseError, PartnerTimeoutError, PartnerUnavailableError } from '../../domain/errors.js';

/**
 * One classification of a failed partner call (adapters/core/failure.ts) read by retries, the
 * circuit breaker, the status board and the stale fallback: what each of them does with a 503, a
 * 429, a 404 and garbage, through the real HTTP client against a scripted partner.
 */

useNock();

const PARTNER = 'water-kryvyi-rih';
const BASE_URL = 'http://water.test';
/** A Retry-After that has passed: the retry may go at once. */
const RETRY_NOW = { 'Retry-After': 'Thu, 01 Jan 1970 00:00:00 GMT' };

/** A client with one retry, a breaker that opens on the first failure, and the outcomes it told the status board. */
function client(callsPerSecond = 1000) {
  const outcomes: boolean[] = [];
  const breaker = createBreaker(PARTNER, { failures: 1, halfOpenAfterMs: 60_000 });
  const http = createPartnerHttp({
    partnerId: PARTNER, baseUrl: BASE_URL, timeoutMs: 2000, retryLimit: 1, log: silentLogger(), breaker, random: () => 0,
    onOutcome: (ok) => outcomes.push(ok), quota: createQuota({ partnerId: PARTNER, log: silentLogger(), callsPerSecond }),
  });
  const ask = () => http.request('accounts', { path: '/accounts' }).then((r) => r.statusCode, (e: PartnerUnavailableError) => ({ code: e.code, message: e.message }));
  return { ask, outcomes, circuit: () => breaker.state() };
}

describe('one classification of partner failures', () => {
  it('retries a 503, then fails it as PARTNER_UNAVAILABLE, opens the circuit and tells the status board of a failure', async () => {
    const partner = nock(BASE_URL).get('/accounts').times(2).reply(503);
    const c = client();
    expect([await c.ask(), c.circuit(), c.outcomes, partner.isDone()])
      .toEqual([{ code: 'PARTNER_UNAVAILABLE', message: 'the partner failed (HTTP 503)' }, 'OPEN', [false], true]);
  });

  it('retries a 429 after its Retry-After, and neither opens the circuit nor counts against the partner\'s health', async () => {
    const partner = nock(BASE_URL).get('/accounts').times(2).reply(429, 'slow down', RETRY_NOW);
    const c = client();
    expect([await c.ask(), c.circuit(), c.outcomes, partner.isDone()])
      .toEqual([{ code: 'PARTNER_UNAVAILABLE', message: 'the partner is throttling calls (HTTP 429)' }, 'CLOSED', [], true]);
  });

  it('answers once the partner stops throttling', async () => {
    nock(BASE_URL).get('/accounts').reply(429, 'slow down', RETRY_NOW).get('/accounts').reply(200, {});
    const c = client();
    expect([await c.ask(), c.circuit(), c.outcomes]).toEqual([200, 'CLOSED', [true]]);
  });

  it('does not retry a 404: the partner worked, so the circuit stays closed and the partner healthy', async () => {
    const partner = nock(BASE_URL).get('/accounts').reply(404);
    const c = client();
    expect([await c.ask(), c.circuit(), c.outcomes, partner.isDone()])
      .toEqual([{ code: 'NOT_FOUND', message: 'the partner has no such record' }, 'CLOSED', [true], true]);
  });

  it('does not retry garbage, but counts it against the partner', async () => {
    const partner = nock(BASE_URL).get('/accounts').reply(200, '{"unexpected":', { 'content-type': 'application/json' });
    const c = client();
    expect([await c.ask(), c.circuit(), c.outcomes, partner.isDone()]).toEqual([
      { code: 'PARTNER_BAD_RESPONSE', message: 'the partner answered with a body that is not valid JSON' }, 'OPEN', [false], true,
    ]);
  });

  it('does not start a call the budget has no room for, and says nothing of the partner for it', async () => {
    const partner = nock(BASE_URL).get('/accounts').reply(200, {});
    const c = client();
    // A budget already spent: the operation ends before any call.
    const answer = await withDeadline(PARTNER, 2000, c.ask, Date.now()).catch((e: PartnerTimeoutError) => ({ code: e.code, message: e.message }));
    expect([answer, c.circuit(), c.outcomes, partner.isDone()])
      .toEqual([{ code: 'PARTNER_TIMEOUT', message: "the answer's budget was spent before the partner could be asked" }, 'CLOSED', [], false]);
  });

  it('fails a call its quota cannot fit in the deadline at once, without opening the circuit or counting it against the partner', async () => {
    const partner = nock(BASE_URL).get('/accounts').reply(200, {});
    const c = client(1); // one call a second: the second would wait a second, past its 600 ms
    const answers = [await c.ask(), await withDeadline(PARTNER, 600, c.ask)];
    expect([answers, c.circuit(), c.outcomes, partner.isDone()]).toEqual([
      [200, { code: 'PARTNER_TIMEOUT', message: "waiting for the partner's quota would exceed the budget" }], 'CLOSED', [true], true,
    ]);
  });

  it('states, per kind, what retries, the breaker, the status board and the stale fallback do', () => {
    const kinds = [
      new PartnerUnavailableError(PARTNER, 'the partner failed (HTTP 503)'),
      new PartnerTimeoutError(PARTNER),
      new PartnerBadResponseError(PARTNER),
    ].map(failureKind);
    expect([kinds, FAILURE_POLICY]).toEqual([['TRANSIENT', 'TRANSIENT', 'BROKEN'], {
      THROTTLED: { retry: true, breaker: false, health: 'NONE', stale: true },
      TRANSIENT: { retry: true, breaker: true, health: 'FAILURE', stale: true },
      BROKEN: { retry: false, breaker: true, health: 'FAILURE', stale: true },
      REFUSED: { retry: false, breaker: false, health: 'OK', stale: false },
      NOT_CALLED: { retry: false, breaker: false, health: 'NONE', stale: true },
    }]);
  });
});
