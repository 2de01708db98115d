/**
 * The gateway-to-subgraph assertion. The gateway verifies the client's token once and forwards
 * who is asking (and why) to each subgraph as a short-lived HS256 JWT under a secret only the
 * gateway and the subgraphs share. An assertion is good for one request only: it names the
 * subgraph it is for (`aud`), carries the SHA-256 of the exact request body (`bdh`), lives at most
 * 10 seconds and has an id (`jti`) a subgraph accepts once. A captured assertion therefore cannot
 * be replayed against another subgraph, with another query or person, or twice. One message for
 * every failure: a subgraph tells a caller that skipped the gateway nothing about what a good
 * assertion looks like.
 */
import { createHash, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../domain/errors.js';
import { claimsFromPrincipal, principalFromClaims, type Principal } from './principal.js';

export const ASSERTION_HEADER = 'x-vikno-assertion';
export const ASSERTION_REFUSAL = 'the request did not come through the gateway';

const ISSUER = 'vikno-gateway';
const MIN_SECRET_BYTES = 32;
/** The longest an assertion may live: the gateway signs it just before the subgraph fetch. */
export const MAX_ASSERTION_SECONDS = 10;
/** Gateway and subgraphs may run on different hosts; a little leeway between their clocks. */
const CLOCK_TOLERANCE_SECONDS = 2;

/** An HS256 key. The bytes are not enumerable, so logging the key object does not print them. */
export interface AssertionKey {
  readonly bytes: Uint8Array;
}

export interface Assertion {
  principal: Principal;
  /** Why the data is asked for (passed on to registries that log a purpose). */
  purpose?: string;
  requestId: string;
  /**
   * The gateway durably recorded a look-up for every person the request's entity representations
   * name before it signed (record first, then ask).
   */
  recorded?: boolean;
  /**
   * How many ms of the answer budget were left when the gateway sent the request: relative, so the
   * gateway's and the subgraph's clocks need not agree.
   */
  budgetMs?: number;
}

export interface AssertionBinding {
  /** The subgraph the request goes to (its name, e.g. `gas`). */
  audience: string;
  /** The exact bytes (or text, as UTF-8) of the request body. */
  body: string | Uint8Array;
}

/** base64url SHA-256 of a request body: what binds an assertion to one request. */
export function bodyDigest(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
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

/**
 * The key as WebCrypto holds it for HS256, imported once per AssertionKey: jose given the raw bytes
 * imports them again on every sign and verify (as much CPU as the HMAC itself).
 */
const hmacKeys = new WeakMap<AssertionKey, Promise<webcrypto.CryptoKey>>();
function hmacKey(key: AssertionKey): Promise<webcrypto.CryptoKey> {
  let imported = hmacKeys.get(key);
  if (!imported) {
    imported = webcrypto.subtle.importKey('raw', key.bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(key, imported);
  }
  return imported;
}

export async function signAssertion(
  key: AssertionKey,
  assertion: Assertion,
  binding: AssertionBinding,
  { ttlSeconds = MAX_ASSERTION_SECONDS, now = () => new Date() }: { ttlSeconds?: number; now?: () => Date } = {},
): Promise<string> {
  if (typeof assertion.requestId !== 'string' || assertion.requestId === '') throw new TypeError('signAssertion: requestId must be a non-empty string');
  if (assertion.purpose !== undefined && typeof assertion.purpose !== 'string') throw new TypeError('signAssertion: purpose must be a string');
  if (typeof binding?.audience !== 'string' || binding.audience === '') throw new TypeError('signAssertion: audience must be a non-empty string');
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds > 0 && ttlSeconds <= MAX_ASSERTION_SECONDS)) {
    throw new TypeError(`signAssertion: ttlSeconds must be a whole number from 1 to ${MAX_ASSERTION_SECONDS}`);
  }
  // Round-tripping the principal here catches a malformed one at the gateway, not in every subgraph.
  const principal = principalFromClaims({ ...claimsFromPrincipal(assertion.principal) });
  const iat = Math.floor(now().getTime() / 1000);
  return new SignJWT({
    ...claimsFromPrincipal(principal),
    rid: assertion.requestId,
    bdh: bodyDigest(binding.body),
    rec: assertion.recorded === true,
    ...(assertion.budgetMs === undefined ? {} : { bms: Math.max(0, Math.round(assertion.budgetMs)) }),
    ...(assertion.purpose === undefined ? {} : { purpose: assertion.purpose }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(binding.audience)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(await hmacKey(key));
}

/**
 * The ids of assertions a subgraph has accepted and that have not expired yet: a second use of
 * one is a replay. Bounded: the oldest ids go first (they expire first anyway).
 */
export interface ReplayGuard {
  /** True the first time an id is seen before `expiresAt` (seconds), false for a replay. */
  firstUse(id: string, expiresAt: number, nowSeconds: number): boolean;
}

export function createReplayGuard(maxEntries = 200_000): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstUse(id, expiresAt, nowSeconds) {
      if (seen.has(id)) return false;
      // Insertion order is expiry order (same lifetime for all): drop expired ids from the front.
      for (const [old, exp] of seen) {
        if (exp >= nowSeconds - CLOCK_TOLERANCE_SECONDS && seen.size < maxEntries) break;
        seen.delete(old);
      }
      seen.set(id, expiresAt);
      return true;
    },
  };
}

export interface VerifyAssertionOptions {
  /** This subgraph's name: an assertion for another subgraph is refused. */
  audience: string;
  /** The request body exactly as received. */
  body: string | Uint8Array;
  replayGuard: ReplayGuard;
  now?: () => Date;
}

export async function verifyAssertion(key: AssertionKey, token: string | undefined, options: VerifyAssertionOptions): Promise<Assertion> {
  if (typeof token !== 'string' || token === '' || token.length > 8192) throw new UnauthenticatedError(ASSERTION_REFUSAL);
  try {
    const currentDate = options.now?.() ?? new Date();
    const { payload } = await jwtVerify(token, await hmacKey(key), {
      algorithms: ['HS256'], issuer: ISSUER, audience: options.audience, requiredClaims: ['exp', 'iat', 'rid', 'jti', 'bdh'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS, currentDate,
    });
    const { rid, purpose, bdh, rec, jti, exp, iat, bms } = payload;
    if (typeof rid !== 'string' || rid === '' || (purpose !== undefined && typeof purpose !== 'string')) throw new TypeError('bad assertion');
    if (bms !== undefined && !(Number.isSafeInteger(bms) && (bms as number) >= 0)) throw new TypeError('bad budget');
    if (typeof exp !== 'number' || typeof iat !== 'number' || exp - iat > MAX_ASSERTION_SECONDS) throw new TypeError('lives too long');
    if (iat > currentDate.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS) throw new TypeError('issued in the future');
    if (bdh !== bodyDigest(options.body)) throw new TypeError('for another request');
    if (!options.replayGuard.firstUse(jti!, exp, Math.floor(currentDate.getTime() / 1000))) throw new TypeError('replayed');
    return {
      principal: principalFromClaims(payload), ...(purpose === undefined ? {} : { purpose }), requestId: rid, recorded: rec === true,
      ...(bms === undefined ? {} : { budgetMs: bms as number }),
    };
  } catch {
    // The cause is dropped on purpose: jose's claim errors carry the payload (a tax id).
    throw new UnauthenticatedError(ASSERTION_REFUSAL);
  }
}
