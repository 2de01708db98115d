/**
 * The gateway-to-subgraph assertion. The gateway verifies the client's token once and forwards
 * who is asking (and why) to each subgraph as a short-lived HS256 JWT under a secret only the
 * gateway and the subgraphs share, so a request sent straight to a subgraph without it, or with
 * a forged or stale one, is refused. One message for every failure: a subgraph tells a caller
 * that skipped the gateway nothing about what a good assertion looks like.
 */
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../domain/errors.js';
import { claimsFromPrincipal, principalFromClaims, type Principal } from './principal.js';

export const ASSERTION_HEADER = 'x-vikno-assertion';
export const ASSERTION_REFUSAL = 'the request did not come through the gateway';

const ISSUER = 'vikno-gateway';
const AUDIENCE = 'vikno-subgraph';
const MIN_SECRET_BYTES = 32;
/** Gateway and subgraphs may run on different hosts; a little leeway between their clocks. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** An HS256 key. The bytes are not enumerable, so logging the key object does not print them. */
export interface AssertionKey {
  readonly bytes: Uint8Array;
}

export interface Assertion {
  principal: Principal;
  /** Why the data is asked for (passed on to registries that log a purpose). */
  purpose?: string;
  requestId: string;
}

/** A random secret for the embedded default, or for an operator to put in the environment. */
export function randomAssertionSecret(): string {
  return randomBytes(MIN_SECRET_BYTES).toString('base64url');
}

/** The key from a shared secret (at least 32 bytes of UTF-8), or a random one when none is given. */
export function createAssertionKey(secret?: string): AssertionKey {
  const bytes = secret === undefined ? randomBytes(MIN_SECRET_BYTES) : new TextEncoder().encode(secret);
  if (bytes.byteLength < MIN_SECRET_BYTES) throw new TypeError(`the assertion secret must be at least ${MIN_SECRET_BYTES} bytes`);
  const key = {} as AssertionKey;
  Object.defineProperty(key, 'bytes', { value: Uint8Array.from(bytes), enumerable: false });
  return Object.freeze(key);
}

export async function signAssertion(
  key: AssertionKey,
  assertion: Assertion,
  { ttlSeconds = 30, now = () => new Date() }: { ttlSeconds?: number; now?: () => Date } = {},
): Promise<string> {
  if (typeof assertion.requestId !== 'string' || assertion.requestId === '') throw new TypeError('signAssertion: requestId must be a non-empty string');
  if (assertion.purpose !== undefined && typeof assertion.purpose !== 'string') throw new TypeError('signAssertion: purpose must be a string');
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds > 0)) throw new TypeError('signAssertion: ttlSeconds must be a whole number above 0');
  // Round-tripping the principal here catches a malformed one at the gateway, not in every subgraph.
  const principal = principalFromClaims({ ...claimsFromPrincipal(assertion.principal) });
  const iat = Math.floor(now().getTime() / 1000);
  return new SignJWT({
    ...claimsFromPrincipal(principal),
    rid: assertion.requestId,
    ...(assertion.purpose === undefined ? {} : { purpose: assertion.purpose }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(key.bytes);
}

export async function verifyAssertion(
  key: AssertionKey,
  token: string | undefined,
  { now }: { now?: () => Date } = {},
): Promise<Assertion> {
  if (typeof token !== 'string' || token === '' || token.length > 8192) throw new UnauthenticatedError(ASSERTION_REFUSAL);
  try {
    const { payload } = await jwtVerify(token, key.bytes, {
      algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['exp', 'iat', 'rid'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS, currentDate: now?.(),
    });
    const { rid, purpose } = payload;
    if (typeof rid !== 'string' || rid === '' || (purpose !== undefined && typeof purpose !== 'string')) throw new TypeError('bad assertion');
    return { principal: principalFromClaims(payload), ...(purpose === undefined ? {} : { purpose }), requestId: rid };
  } catch {
    // The cause is dropped on purpose: jose's claim errors carry the payload (a tax id).
    throw new UnauthenticatedError(ASSERTION_REFUSAL);
  }
}
