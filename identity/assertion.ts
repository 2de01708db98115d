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
import { createHash, createHmac, createSecretKey, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
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
 * The assertion is a compact JWS (RFC 7515) signed with HS256, made and checked here with Node's
 * HMAC rather than through WebCrypto: each subgraph request needs one signature at the gateway and
 * one check at the subgraph, and WebCrypto's asynchronous jobs cost ten times the HMAC itself
 * (a quarter of a trivial subgraph request's profile samples under load). Only HS256 is accepted,
 * whatever else a header says; the check is constant-time.
 */
const secretKeys = new WeakMap<AssertionKey, KeyObject>();
function secretKey(key: AssertionKey): KeyObject {
  let secret = secretKeys.get(key);
  if (!secret) {
    secret = createSecretKey(key.bytes);
    secretKeys.set(key, secret);
  }
  return secret;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function mac(key: AssertionKey, signingInput: string): Buffer {
  return createHmac('sha256', secretKey(key)).update(signingInput).digest();
}

function signJws(key: AssertionKey, claims: Record<string, unknown>): string {
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signingInput}.${mac(key, signingInput).toString('base64url')}`;
}

/** The claims of a compact JWS signed with HS256 under `key`; throws on anything else. */
function verifiedClaims(key: AssertionKey, token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw new TypeError('not a compact JWS');
  const [header, payload, signature] = parts;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, `${header}.${payload}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TypeError('bad signature');
  const { alg, typ, crit } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (alg !== 'HS256' || crit !== undefined || (typ !== undefined && typ !== 'JWT')) throw new TypeError('bad header');
  const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new TypeError('bad claims');
  return claims as Record<string, unknown>;
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
  return signJws(key, {
    ...claimsFromPrincipal(principal),
    rid: assertion.requestId,
    bdh: bodyDigest(binding.body),
    rec: assertion.recorded === true,
    ...(assertion.budgetMs === undefined ? {} : { bms: Math.max(0, Math.round(assertion.budgetMs)) }),
    ...(assertion.purpose === undefined ? {} : { purpose: assertion.purpose }),
    iss: ISSUER,
    aud: binding.audience,
    jti: randomUUID(),
    iat,
    exp: iat + ttlSeconds,
  });
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
    const now = currentDate.getTime() / 1000;
    const payload = verifiedClaims(key, token);
    const { rid, purpose, bdh, rec, jti, exp, iat, bms, iss, aud } = payload;
    if (iss !== ISSUER || aud !== options.audience) throw new TypeError('for another issuer or audience');
    if (typeof jti !== 'string' || jti === '' || typeof bdh !== 'string') throw new TypeError('bad assertion');
    if (typeof exp !== 'number' || exp <= now - CLOCK_TOLERANCE_SECONDS) throw new TypeError('expired');
    if (typeof rid !== 'string' || rid === '' || (purpose !== undefined && typeof purpose !== 'string')) throw new TypeError('bad assertion');
    if (bms !== undefined && !(Number.isSafeInteger(bms) && (bms as number) >= 0)) throw new TypeError('bad budget');
    if (typeof iat !== 'number' || exp - iat > MAX_ASSERTION_SECONDS) throw new TypeError('lives too long');
    if (iat > now + CLOCK_TOLERANCE_SECONDS) throw new TypeError('issued in the future');
    if (bdh !== bodyDigest(options.body)) throw new TypeError('for another request');
    if (!options.replayGuard.firstUse(jti, exp, Math.floor(now))) throw new TypeError('replayed');
    return {
      principal: principalFromClaims(payload), ...(purpose === undefined ? {} : { purpose }), requestId: rid, recorded: rec === true,
      ...(bms === undefined ? {} : { budgetMs: bms as number }),
    };
  } catch {
    // The cause is dropped on purpose: one message for every failure, and nothing of the payload (a tax id).
    throw new UnauthenticatedError(ASSERTION_REFUSAL);
  }
}
