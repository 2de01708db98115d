import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  ASSERTION_HEADER, bodyDigest, createAssertionKey, createReplayGuard, randomAssertionSecret, signAssertion, verifyAssertion,
} from '../../identity/assertion.js';
import type { Principal } from '../../identity/principal.js';
import { base64url, refusal, unauthenticated } from './refusal.js';

const SECRET = 'a shared secret that is long enough for HS256 ok';
const STAFF: Principal = { kind: 'staff', id: 'staff-0042', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг', scopes: ['gas:read', 'vehicles:read'] };
const CITIZEN: Principal = { kind: 'citizen', taxId: '3111901220' };
const NOW = new Date('2026-03-02T09:00:00Z');
const REFUSED = unauthenticated('the request did not come through the gateway');

const BODY = '{"query":"{ me { taxId } }","variables":{}}';
const FOR_GAS = { audience: 'gas', body: BODY };
const verifyOptions = (over: Partial<Parameters<typeof verifyAssertion>[2]> = {}) => ({ audience: 'gas', body: BODY, replayGuard: createReplayGuard(), ...over });

describe('gateway-to-subgraph assertion', () => {
  const key = createAssertionKey(SECRET);

  it('names its header', () => {
    expect(ASSERTION_HEADER).toBe('x-vikno-assertion');
  });

  it('carries a staff principal, the purpose, the request id and whether the people were recorded', async () => {
    const token = await signAssertion(key, { principal: STAFF, purpose: 'queue ticket А-017', requestId: 'req-1', recorded: true }, FOR_GAS);
    expect(await verifyAssertion(createAssertionKey(SECRET), token, verifyOptions()))
      .toEqual({ principal: STAFF, purpose: 'queue ticket А-017', requestId: 'req-1', recorded: true });
  });

  it('carries what is left of the answer budget, in whole milliseconds', async () => {
    const token = await signAssertion(key, { principal: STAFF, requestId: 'req-6', budgetMs: 2399.6 }, FOR_GAS);
    expect(await verifyAssertion(key, token, verifyOptions())).toEqual({ principal: STAFF, requestId: 'req-6', recorded: false, budgetMs: 2400 });
  });

  it('carries a citizen principal without a purpose', async () => {
    const token = await signAssertion(key, { principal: CITIZEN, requestId: 'req-2' }, FOR_GAS);
    expect(await verifyAssertion(key, token, verifyOptions())).toEqual({ principal: CITIZEN, requestId: 'req-2', recorded: false });
  });

  it.each([['missing', undefined], ['empty', ''], ['garbage', 'not-a-jwt']])('refuses a request whose assertion is %s', async (_, token) => {
    expect(await refusal(verifyAssertion(key, token, verifyOptions()))).toEqual(REFUSED);
  });

  it('refuses an assertion forged with another secret', async () => {
    const forged = await signAssertion(createAssertionKey(), { principal: STAFF, requestId: 'req-3' }, FOR_GAS);
    expect(await refusal(verifyAssertion(key, forged, verifyOptions()))).toEqual(REFUSED);
  });

  it('refuses an assertion replayed against another subgraph, with another body, or a second time', async () => {
    const token = await signAssertion(key, { principal: STAFF, purpose: 'A-17', requestId: 'req-5' }, FOR_GAS);
    expect(await refusal(verifyAssertion(key, token, verifyOptions({ audience: 'water' })))).toEqual(REFUSED);
    expect(await refusal(verifyAssertion(key, token, verifyOptions({ body: BODY.replace('me', 'citizen') })))).toEqual(REFUSED);
    const replayGuard = createReplayGuard();
    expect((await verifyAssertion(key, token, verifyOptions({ replayGuard }))).requestId).toBe('req-5');
    expect(await refusal(verifyAssertion(key, token, verifyOptions({ replayGuard })))).toEqual(REFUSED);
  });

  it('lives at most 10 seconds: refused after, and never signed for longer', async () => {
    const token = await signAssertion(key, { principal: CITIZEN, requestId: 'req-4' }, FOR_GAS, { ttlSeconds: 10, now: () => NOW });
    const at = (seconds: number) => () => new Date(NOW.getTime() + seconds * 1000);
    expect(await verifyAssertion(key, token, verifyOptions({ now: at(9) }))).toEqual({ principal: CITIZEN, requestId: 'req-4', recorded: false });
    expect(await refusal(verifyAssertion(key, token, verifyOptions({ now: at(13) })))).toEqual(REFUSED);
    await expect(signAssertion(key, { principal: CITIZEN, requestId: 'r' }, FOR_GAS, { ttlSeconds: 30 }))
      .rejects.toThrow(new TypeError('signAssertion: ttlSeconds must be a whole number from 1 to 10'));
    // Signed by hand with the right secret, but meant to live 30 s: refused all the same.
    const t = Math.floor(NOW.getTime() / 1000);
    const long = await new SignJWT({ sub: '3111901220', vikno_role: 'citizen', rid: 'r', bdh: bodyDigest(BODY) })
      .setProtectedHeader({ alg: 'HS256' }).setIssuer('vikno-gateway').setAudience('gas').setJti('j').setIssuedAt(t).setExpirationTime(t + 30)
      .sign(key.bytes);
    expect(await refusal(verifyAssertion(key, long, verifyOptions({ now: at(1) })))).toEqual(REFUSED);
  });

  it('refuses an unsecured assertion (alg: none) and one signed as another issuer', async () => {
    const t = Math.floor(Date.now() / 1000);
    const claims = { sub: '3111901220', vikno_role: 'citizen', rid: 'r', iss: 'vikno-gateway', aud: 'gas', iat: t, exp: t + 5, jti: 'x', bdh: bodyDigest(BODY) };
    expect(await refusal(verifyAssertion(key, `${base64url({ alg: 'none' })}.${base64url(claims)}.`, verifyOptions()))).toEqual(REFUSED);
    // Even with a good HS256 MAC under the right secret, a header naming another algorithm is refused.
    const input = `${base64url({ alg: 'HS512' })}.${base64url(claims)}`;
    expect(await refusal(verifyAssertion(key, `${input}.${createHmac('sha256', key.bytes).update(input).digest('base64url')}`, verifyOptions()))).toEqual(REFUSED);
    const otherIssuer = await new SignJWT({ ...claims, iss: 'someone-else' }).setProtectedHeader({ alg: 'HS256' }).sign(key.bytes);
    expect(await refusal(verifyAssertion(key, otherIssuer, verifyOptions()))).toEqual(REFUSED);
  });

  it('refuses an assertion whose principal is malformed even under the right secret', async () => {
    const t = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: '3111901221', vikno_role: 'citizen', rid: 'r', bdh: bodyDigest(BODY) })
      .setProtectedHeader({ alg: 'HS256' }).setIssuer('vikno-gateway').setAudience('gas').setJti('y').setIssuedAt(t).setExpirationTime(t + 5)
      .sign(key.bytes);
    expect(await refusal(verifyAssertion(key, token, verifyOptions()))).toEqual(REFUSED);
  });

  it('refuses a secret shorter than 32 bytes and keeps the key bytes out of logs', () => {
    expect(() => createAssertionKey('short')).toThrow(new TypeError('the assertion secret must be at least 32 bytes'));
    expect(JSON.stringify(key)).toBe('{}');
    expect(Object.keys(key)).toEqual([]);
    expect(createAssertionKey(randomAssertionSecret()).bytes.byteLength).toBe(43);
  });
});
