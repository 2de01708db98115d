import { SignJWT } from 'jose';
import {
  ASSERTION_HEADER, createAssertionKey, randomAssertionSecret, signAssertion, verifyAssertion,
} from '../../identity/assertion.js';
import type { Principal } from '../../identity/principal.js';
import { base64url, refusal, unauthenticated } from './refusal.js';

const SECRET = 'a shared secret that is long enough for HS256 ok';
const STAFF: Principal = { kind: 'staff', id: 'staff-0042', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг', scopes: ['gas:read', 'vehicles:read'] };
const CITIZEN: Principal = { kind: 'citizen', taxId: '3111901220' };
const NOW = new Date('2026-03-02T09:00:00Z');
const REFUSED = unauthenticated('the request did not come through the gateway');

describe('gateway-to-subgraph assertion', () => {
  const key = createAssertionKey(SECRET);

  it('names its header', () => {
    expect(ASSERTION_HEADER).toBe('x-vikno-assertion');
  });

  it('carries a staff principal, the purpose and the request id from gateway to subgraph', async () => {
    const token = await signAssertion(key, { principal: STAFF, purpose: 'queue ticket А-017', requestId: 'req-1' });
    expect(await verifyAssertion(createAssertionKey(SECRET), token)).toEqual({ principal: STAFF, purpose: 'queue ticket А-017', requestId: 'req-1' });
  });

  it('carries a citizen principal without a purpose', async () => {
    const token = await signAssertion(key, { principal: CITIZEN, requestId: 'req-2' });
    expect(await verifyAssertion(key, token)).toEqual({ principal: CITIZEN, requestId: 'req-2' });
  });

  it.each([['missing', undefined], ['empty', ''], ['garbage', 'not-a-jwt']])('refuses a request whose assertion is %s', async (_, token) => {
    expect(await refusal(verifyAssertion(key, token))).toEqual(REFUSED);
  });

  it('refuses an assertion forged with another secret', async () => {
    const forged = await signAssertion(createAssertionKey(), { principal: STAFF, requestId: 'req-3' });
    expect(await refusal(verifyAssertion(key, forged))).toEqual(REFUSED);
  });

  it('refuses an assertion that has expired, and accepts it while fresh', async () => {
    const token = await signAssertion(key, { principal: CITIZEN, requestId: 'req-4' }, { ttlSeconds: 30, now: () => NOW });
    const at = (seconds: number) => () => new Date(NOW.getTime() + seconds * 1000);
    expect(await verifyAssertion(key, token, { now: at(29) })).toEqual({ principal: CITIZEN, requestId: 'req-4' });
    expect(await refusal(verifyAssertion(key, token, { now: at(40) }))).toEqual(REFUSED);
  });

  it('refuses an unsecured assertion (alg: none) and one signed as another issuer', async () => {
    const t = Math.floor(Date.now() / 1000);
    const claims = { sub: '3111901220', vikno_role: 'citizen', rid: 'r', iss: 'vikno-gateway', aud: 'vikno-subgraph', iat: t, exp: t + 30 };
    expect(await refusal(verifyAssertion(key, `${base64url({ alg: 'none' })}.${base64url(claims)}.`))).toEqual(REFUSED);
    const otherIssuer = await new SignJWT({ ...claims, iss: 'someone-else' }).setProtectedHeader({ alg: 'HS256' }).sign(key.bytes);
    expect(await refusal(verifyAssertion(key, otherIssuer))).toEqual(REFUSED);
  });

  it('refuses an assertion whose principal is malformed even under the right secret', async () => {
    const t = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: '3111901221', vikno_role: 'citizen', rid: 'r' })
      .setProtectedHeader({ alg: 'HS256' }).setIssuer('vikno-gateway').setAudience('vikno-subgraph').setIssuedAt(t).setExpirationTime(t + 30)
      .sign(key.bytes);
    expect(await refusal(verifyAssertion(key, token))).toEqual(REFUSED);
  });

  it('refuses a secret shorter than 32 bytes and keeps the key bytes out of logs', () => {
    expect(() => createAssertionKey('short')).toThrow(new TypeError('the assertion secret must be at least 32 bytes'));
    expect(JSON.stringify(key)).toBe('{}');
    expect(Object.keys(key)).toEqual([]);
    expect(createAssertionKey(randomAssertionSecret()).bytes.byteLength).toBe(43);
  });
});
