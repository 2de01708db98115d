import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import nock from 'nock';
import { useNock } from '../helpers/nock.js';
import { createPartnerHttp, type BeforeAttempt, type ResponseClassifier } from '../../adapters/core/http.js';
import { createBreaker } from '../../adapters/core/breaker.js';
import { createQuota, type PartnerQuota } from '../../adapters/core/quota.js';
import { isBridgedByStale } from '../../adapters/core/failure.js';
import { createStatusBoard } from '../../adapters/core/status-board.js';
import { createSoapClient, SERVICE_PATH } from '../../adapters/heating-kryvyi-rih/soap.js';
import { BadUserInputError, PartnerUnavailableError } from '../../domain/errors.js';
import { projectRoot } from '../../domain/project-root.js';
import { fixedClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/logger.js';
import { buildAdapter, CALL } from '../adapters/harness.js';
import vehicles from '../../adapters/vehicles-mvs/index.js';
import cadastre from '../../adapters/cadastre-dzk/index.js';

/**
 * The dialects partners speak, through the real HTTP core (adapters/core/http.ts) against scripted
 * partners: requests signed afresh for every attempt, failures inside a 200, a SOAP client fault on
 * an HTTP 500, extracts that must never be issued twice, and a 429 that paces. Every client here has
 * a breaker that opens on the first failure it is told of, so a call counted twice would show.
 */

useNock();

const PARTNER = 'rpc-partner';
const BASE_URL = 'http://rpc.test';
const SECRET = 'shared-hmac-secret';
const NOW = '2026-11-22T09:00:00.000Z';

/** A client as partners.ts builds one (2 retries), with a breaker opening on one failure and a real status board. */
function client(options: { beforeAttempt?: BeforeAttempt; classify?: ResponseClassifier; quota?: PartnerQuota } = {}) {
  const outcomes: boolean[] = [];
  const board = createStatusBoard({ keyv: new Keyv(), clock: fixedClock(NOW) });
  const breaker = createBreaker(PARTNER, { failures: 1, halfOpenAfterMs: 60_000 });
  const http = createPartnerHttp({
    partnerId: PARTNER, baseUrl: BASE_URL, timeoutMs: 5000, retryLimit: 2, log: silentLogger(), breaker, random: () => 0,
    quota: options.quota, beforeAttempt: options.beforeAttempt, classify: options.classify,
    onOutcome: (ok) => { outcomes.push(ok); board.record(PARTNER, ok); },
  });
  return { http, outcomes, circuit: () => breaker.state(), board: () => board.read(PARTNER) };
}

// ---- a JSON-RPC partner that wants every request signed: HMAC-SHA256 over method, path, timestamp, nonce and body ----

const sha256 = (body: string | Buffer) => createHash('sha256').update(body).digest('hex');
const signature = (method: string, path: string, timestamp: string, nonce: string, body: string | Buffer) =>
  createHmac('sha256', SECRET).update([method, path, timestamp, nonce, sha256(body)].join('\n')).digest('hex');

/** The adapter's hook: a new timestamp, nonce and signature for every attempt. */
const sign: BeforeAttempt = ({ method, path, body }) => {
  const timestamp = new Date().toISOString();
  const nonce = randomUUID();
  return { 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature(method, path, timestamp, nonce, body) };
};

/** The adapter's classifier: JSON-RPC answers every error with HTTP 200. */
const jsonRpc: ResponseClassifier = ({ body }) => {
  const error = (body as { error?: { code?: number } } | null)?.error;
  if (!error) return undefined;
  if (error.code === -32000) return { kind: 'TRANSIENT', error: new PartnerUnavailableError(PARTNER, 'the partner is busy (JSON-RPC -32000)') };
  if (error.code === -32602) return { kind: 'REFUSED', error: new BadUserInputError('the partner rejected the parameters (JSON-RPC -32602)', { partner: PARTNER }) };
  return { kind: 'BROKEN', error: new PartnerUnavailableError(PARTNER, `the partner failed (JSON-RPC ${error.code})`) };
};

interface Seen { signature: string; nonce: string; valid: boolean }

/** The partner's side: checks each request's signature, then answers the scripted replies in turn. */
function rpcPartner(replies: object[]) {
  const seen: Seen[] = [];
  const scope = nock(BASE_URL).post('/rpc').times(replies.length).reply(function (uri, body) {
    const headers = this.req.headers;
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const valid = headers['x-signature'] === signature('POST', uri, String(headers['x-timestamp']), String(headers['x-nonce']), raw);
    seen.push({ signature: String(headers['x-signature']), nonce: String(headers['x-nonce']), valid });
    if (!valid) return [401, { error: 'bad signature' }];
    return [200, { jsonrpc: '2.0', id: 1, ...replies[seen.length - 1] }];
  });
  return { seen, scope };
}

const busy = { error: { code: -32000, message: 'server busy' } };
const call = { jsonrpc: '2.0', id: 1, method: 'accounts.byOwner', params: { owner: 'x' } };
const failure = (e: { code?: string; message: string }) => ({ code: e.code, message: e.message });

describe('a signed JSON-RPC partner', () => {
  it('signs every attempt afresh: the retry carries a new signature the partner accepts, and the breaker hears one successful call', async () => {
    const partner = rpcPartner([busy, { result: { accounts: 2 } }]);
    const c = client({ beforeAttempt: sign, classify: jsonRpc });

    const answer = await c.http.request('accounts', { method: 'POST', idempotent: true, path: '/rpc', json: call });

    expect([answer.body, partner.seen.map((s) => s.valid), c.outcomes, c.circuit(), partner.scope.isDone()])
      .toEqual([{ jsonrpc: '2.0', id: 1, result: { accounts: 2 } }, [true, true], [true], 'CLOSED', true]);
    expect(partner.seen[0].signature).not.toEqual(partner.seen[1].signature);
    expect(partner.seen[0].nonce).not.toEqual(partner.seen[1].nonce);
  });

  it('a hook declared on the client with http.with() works the same for every call of it', async () => {
    const partner = rpcPartner([busy, { result: {} }]);
    const signed = client().http.with({ beforeAttempt: sign, classify: jsonRpc });

    await signed.request('accounts', { method: 'POST', idempotent: true, path: '/rpc', json: call });

    expect(partner.seen.map((s) => s.valid)).toEqual([true, true]);
  });
  it('hands the hook a form body and a query string exactly as they are sent', async () => {
    let received = '';
    nock(BASE_URL).post('/token?scope=read').reply(function (_uri, body) { received = String(new URLSearchParams(body as Record<string, string>)); return [200, {}]; });
    const attempts: Array<{ path: string; body: string }> = [];
    const c = client({ beforeAttempt: ({ path, body }) => void attempts.push({ path, body: String(body) }) });

    await c.http.request('token', { method: 'POST', path: '/token', searchParams: { scope: 'read' }, form: { grant_type: 'client_credentials', id: 'a b' } });

    expect([attempts, received]).toEqual([[{ path: '/token?scope=read', body: 'grant_type=client_credentials&id=a+b' }], 'grant_type=client_credentials&id=a+b']);
  });
});

describe('failures inside an HTTP 200', () => {
  it('retries a transient one, then fails the call once: one failure for the breaker and the status board', async () => {
    const partner = rpcPartner([busy, busy, busy]);
    const c = client({ beforeAttempt: sign, classify: jsonRpc });

    const raw = await c.http.request('accounts', { method: 'POST', idempotent: true, path: '/rpc', json: call }).catch((e: Error) => e);

    expect([failure(raw as never), partner.scope.isDone(), c.outcomes, c.circuit(), isBridgedByStale(raw)])
      .toEqual([{ code: 'PARTNER_UNAVAILABLE', message: 'the partner is busy (JSON-RPC -32000)' }, true, [false], 'OPEN', true]);
    expect(await c.board()).toMatchObject({ status: 'DEGRADED', recentCalls: 1, recentFailures: 1 });
  });

  it('does not retry a client fault, nor count it against the partner: BAD_USER_INPUT, the partner UP', async () => {
    const partner = rpcPartner([{ error: { code: -32602, message: 'invalid params' } }, { result: {} }]);
    const c = client({ beforeAttempt: sign, classify: jsonRpc });

    const raw = await c.http.request('accounts', { method: 'POST', idempotent: true, path: '/rpc', json: call }).catch((e: Error) => e);

    // No stale copy stands in for an answer to a wrong question.
    expect([failure(raw as never), partner.seen.length, c.outcomes, c.circuit(), isBridgedByStale(raw)])
      .toEqual([{ code: 'BAD_USER_INPUT', message: 'the partner rejected the parameters (JSON-RPC -32602)' }, 1, [true], 'CLOSED', false]);
    expect(await c.board()).toMatchObject({ status: 'UP', recentCalls: 1, recentFailures: 0 });
  });
});

describe('a SOAP partner', () => {
  const fixture = (name: string) => readFileSync(path.join(projectRoot(), 'test/fixtures/heating-kryvyi-rih', name), 'utf8');
  const XML = { 'Content-Type': 'text/xml; charset=utf-8' };

  it('reads a Client fault on HTTP 500 as bad input: asked once, BAD_USER_INPUT, not counted against the partner', async () => {
    const partner = nock(BASE_URL).post(SERVICE_PATH).reply(500, fixture('fault-client.xml'), XML)
      .post(SERVICE_PATH).reply(200, fixture('find-accounts-empty.xml'), XML);
    const c = client();
    const soap = createSoapClient(c.http, PARTNER, { username: 'u', password: 'p' });

    const error = await soap.call('FindAccountsByTaxId', { Ipn: '3111901220' }).catch(failure);

    expect([error, partner.pendingMocks().length, c.outcomes, c.circuit()])
      .toEqual([{ code: 'BAD_USER_INPUT', message: 'the partner rejected the request (SOAP Client fault)' }, 1, [true], 'CLOSED']);
  });

  it('retries a Server fault, and counts the call once when every attempt fails', async () => {
    const partner = nock(BASE_URL).post(SERVICE_PATH).times(3).reply(500, fixture('fault-server.xml'), XML);
    const c = client();
    const soap = createSoapClient(c.http, PARTNER, { username: 'u', password: 'p' });

    const error = await soap.call('FindAccountsByTaxId', { Ipn: '3111901220' }).catch(failure);

    expect([error, partner.isDone(), c.outcomes, c.circuit()])
      .toEqual([{ code: 'PARTNER_UNAVAILABLE', message: 'the partner failed (SOAP Server fault)' }, true, [false], 'OPEN']);
  });
});

describe('issuing an extract', () => {
  it('is never retried, even as a GET: vehicles-mvs asks once on a 503', async () => {
    const registry = nock('http://mvs.test').get('/r1/UA/GOV/03287166/MVS/registrationExtract/v1').query(true).reply(503, 'Service Unavailable')
      .get('/r1/UA/GOV/03287166/MVS/registrationExtract/v1').query(true).reply(200, {});
    const harness = buildAdapter(vehicles, { baseUrl: 'http://mvs.test', options: { xRoadClient: 'UA/GOV/00003211/VIKNO', xRoadService: 'UA/GOV/03287166/MVS' } });

    const error = await harness.ops.registrationExtract('WVWZZZAUZHW123456', CALL).catch(failure);

    expect([error, registry.pendingMocks().length, harness.outcomes])
      .toEqual([{ code: 'PARTNER_UNAVAILABLE', message: 'the partner failed (HTTP 503)' }, 1, [false]]);
  });

  it('is never retried as a POST either: cadastre-dzk asks once on a 503', async () => {
    const registry = nock('http://dzk.test').post('/r1/UA/GOV/39765513/DZK/parcelExtract/v1').reply(503, 'Service Unavailable')
      .post('/r1/UA/GOV/39765513/DZK/parcelExtract/v1').reply(200, {});
    const harness = buildAdapter(cadastre, { baseUrl: 'http://dzk.test', options: { xRoadClient: 'UA/GOV/00003211/VIKNO', xRoadService: 'UA/GOV/39765513/DZK' } });

    const error = await harness.ops.parcelExtract('1211000000:02:015:0042', CALL).catch(failure);

    expect([error, registry.pendingMocks().length, harness.outcomes])
      .toEqual([{ code: 'PARTNER_UNAVAILABLE', message: 'the partner failed (HTTP 503)' }, 1, [false]]);
  });
});

describe('a 429 with a Retry-After in the future', () => {
  it('pauses the quota for as long as asked, then the retry answers; the breaker and the status board hear one success', async () => {
    // The quota keeps time by a monotonic clock the test moves: a pause passes as the clock moves past it.
    let t = 0;
    const pauses: number[] = [];
    const real = createQuota({ partnerId: PARTNER, log: silentLogger(), callsPerSecond: 1000, now: () => t });
    const quota: PartnerQuota = {
      acquire: (...args) => real.acquire(...args),
      pause: (ms) => { pauses.push(ms); real.pause(ms); t += ms; },
    };
    const partner = nock(BASE_URL).get('/accounts').reply(429, 'slow down', { 'Retry-After': '2' }).get('/accounts').reply(200, { accounts: [] });
    const c = client({ quota });

    const answer = await c.http.request('accounts', { path: '/accounts' });

    expect([answer.body, pauses, partner.isDone(), c.outcomes, c.circuit()]).toEqual([{ accounts: [] }, [2000], true, [true], 'CLOSED']);
    expect(await c.board()).toMatchObject({ status: 'UP', recentCalls: 1, recentFailures: 0 });
  });
});

describe('the adapters\' logs', () => {
  it('carry no tax id, VIN or credential, retries included', async () => {
    nock('http://mvs.test').get('/r1/UA/GOV/03287166/MVS/registrationsByOwner/v1').query(true).times(3).reply(503, 'Service Unavailable');
    const harness = buildAdapter(vehicles, { baseUrl: 'http://mvs.test', options: { xRoadClient: 'UA/GOV/00003211/VIKNO', xRoadService: 'UA/GOV/03287166/MVS' } });

    await harness.ops.vehiclesByOwners(['3111901220'], CALL);

    const logs = harness.logs().join('\n');
    expect(harness.logs().filter((l) => l.includes('partner call retried'))).toHaveLength(2);
    expect(logs).not.toMatch(/3111901220|WVWZZZAUZHW123456/);
  });
});

describe('client faults by HTTP status', () => {
  it.each([400, 404, 409, 413, 422])('does not retry a %i nor count it against the partner', async (status) => {
    const partner = nock(BASE_URL).get('/accounts').reply(status, 'no').get('/accounts').reply(200, {});
    const c = client();

    await c.http.request('accounts', { path: '/accounts' }).catch(() => undefined);

    expect([partner.pendingMocks().length, c.outcomes, c.circuit()]).toEqual([1, [true], 'CLOSED']);
  });

  it('retries a 408 (the partner timed out waiting for us) like a 5xx', async () => {
    const partner = nock(BASE_URL).get('/accounts').reply(408, 'timeout').get('/accounts').reply(200, { ok: 1 });
    const c = client();

    expect([(await c.http.request('accounts', { path: '/accounts' })).body, partner.isDone(), c.outcomes]).toEqual([{ ok: 1 }, true, [true]]);
  });
});
