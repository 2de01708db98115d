/**
 * Verifies the identity token a client sends (`Authorization: Bearer <JWT>`) and turns it into a
 * Principal. Only asymmetric algorithms are accepted, so a verifier never holds anything that can
 * sign, and an HS256 token "signed" with the public key (algorithm confusion) or `alg: none` is
 * refused before any key is looked at. Every failure is an UnauthenticatedError whose message says
 * what was wrong and carries no token text and no claim value (jose's claim errors hold the whole
 * payload, so they are never kept as the cause).
 */
import { createHash, createPublicKey } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../domain/errors.js';
import { principalFromClaims, PrincipalClaimsError, type Principal } from './principal.js';

export interface TokenVerifierOptions {
  /** The `iss` a token must carry. */
  issuer: string;
  /** The `aud` a token must include (default 'vikno'). */
  audience?: string;
  /** Where the issuer publishes its keys (https, or http on loopback). Exactly one of jwksUrl and publicKey. */
  jwksUrl?: string;
  /** A PEM SPKI public key, or a public JWK (or a JWK set) as JSON. */
  publicKey?: string;
  /** Accepted `alg` values, asymmetric only (default EdDSA, ES256, RS256). */
  algorithms?: string[];
  /** Leeway for exp, nbf and iat between clocks (default 0). */
  clockToleranceSeconds?: number;
  now?: () => Date;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

const ASYMMETRIC = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const DEFAULT_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'];
/** Far above any real token; stops a client making us decode megabytes. */
const MAX_TOKEN_LENGTH = 8192;
const NOT_A_PRINCIPAL = 'the token does not describe a staff member or a citizen';

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { issuer, audience = 'vikno', jwksUrl, publicKey, algorithms = DEFAULT_ALGORITHMS, clockToleranceSeconds = 0, now } = options;
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('createTokenVerifier: issuer must be a non-empty string');
  if (typeof audience !== 'string' || audience === '') throw new TypeError('createTokenVerifier: audience must be a non-empty string');
  if (jwksUrl !== undefined && publicKey !== undefined) throw new TypeError('createTokenVerifier: give jwksUrl or publicKey, not both');
  if (jwksUrl === undefined && publicKey === undefined) throw new TypeError('createTokenVerifier: jwksUrl or publicKey is required');
  if (!Array.isArray(algorithms) || algorithms.length === 0) throw new TypeError('createTokenVerifier: algorithms must be a non-empty array');
  for (const alg of algorithms) {
    if (!ASYMMETRIC.includes(alg)) throw new TypeError(`createTokenVerifier: algorithms: "${alg}" is not an asymmetric signature algorithm`);
  }
  if (!(Number.isFinite(clockToleranceSeconds) && clockToleranceSeconds >= 0)) {
    throw new TypeError('createTokenVerifier: clockToleranceSeconds must be a non-negative number');
  }
  const remote = jwksUrl !== undefined;
  const keys = remote ? remoteKeySet(jwksUrl) : localKeySet(publicKey!);
  const recent = recentlyVerified();

  return {
    async verify(token) {
      if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) throw fail('the token is malformed');
      const currentDate = now?.();
      const nowSeconds = Math.floor((currentDate ?? new Date()).getTime() / 1000);
      const known = recent.get(token, nowSeconds, clockToleranceSeconds);
      if (known) return known;
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer, audience, algorithms, clockTolerance: clockToleranceSeconds, currentDate, requiredClaims: ['exp'],
        });
        // jose checks iat only together with maxTokenAge; a token issued in the future is not valid yet.
        if (typeof payload.iat === 'number' && payload.iat > nowSeconds + clockToleranceSeconds) throw fail('the token is not yet valid');
        const principal = principalFromClaims(payload);
        recent.add(token, principal, payload as TimeClaims, nowSeconds);
        return principal;
      } catch (error) {
        throw explain(error, remote);
      }
    },
  };
}

type TimeClaims = { exp: number; nbf?: number; iat?: number };
/** How long a verified token is taken on trust before its signature is checked again (a key the issuer withdrew stops counting within this). */
const TRUST_SECONDS = 60;
const MAX_RECENT = 10_000;

/**
 * Tokens verified in the last minute, by their SHA-256: a desk sends the same token with every
 * look-up, and checking its signature is the costliest step of a request's authentication (an
 * asynchronous WebCrypto job). The time claims are checked again at every use; a token past them
 * goes through the whole verification again, which names what is wrong. Only tokens that verified
 * are kept, at most MAX_RECENT (the oldest go first).
 */
function recentlyVerified() {
  const entries = new Map<string, { principal: Principal; claims: TimeClaims; verifiedAt: number }>();
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');
  return {
    get(token: string, nowSeconds: number, tolerance: number): Principal | undefined {
      const key = keyOf(token);
      const entry = entries.get(key);
      if (!entry) return undefined;
      const { exp, nbf, iat } = entry.claims;
      const trusted = nowSeconds >= entry.verifiedAt && nowSeconds < entry.verifiedAt + TRUST_SECONDS;
      if (!trusted || exp <= nowSeconds - tolerance || (nbf !== undefined && nbf > nowSeconds + tolerance) || (iat !== undefined && iat > nowSeconds + tolerance)) {
        entries.delete(key);
        return undefined;
      }
      return structuredClone(entry.principal);
    },
    add(token: string, principal: Principal, claims: TimeClaims, nowSeconds: number): void {
      if (entries.size >= MAX_RECENT) entries.delete(entries.keys().next().value!);
      entries.set(keyOf(token), { principal: structuredClone(principal), claims: { exp: claims.exp, nbf: claims.nbf, iat: claims.iat }, verifiedAt: nowSeconds });
    },
  };
}

/**
 * A verifier that trusts several issuers, each with its own keys (the embedded default trusts its
 * demo OpenID provider and the development issuer of `npm run token`). The token's unverified
 * `iss` only picks which issuer's verifier checks it; that verifier then checks everything,
 * `iss` included, so a token cannot borrow another issuer's keys.
 */
export function createMultiIssuerVerifier(issuers: readonly TokenVerifierOptions[]): TokenVerifier {
  if (!Array.isArray(issuers) || issuers.length === 0) throw new TypeError('createMultiIssuerVerifier: at least one issuer is required');
  const byIssuer = new Map<string, TokenVerifier>();
  for (const options of issuers) {
    if (byIssuer.has(options.issuer)) throw new TypeError(`createMultiIssuerVerifier: issuer "${options.issuer}" is given twice`);
    byIssuer.set(options.issuer, createTokenVerifier(options));
  }
  if (byIssuer.size === 1) return [...byIssuer.values()][0];
  return {
    async verify(token) {
      if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) throw fail('the token is malformed');
      let iss: unknown;
      try {
        iss = decodeJwt(token).iss;
      } catch {
        throw fail('the token is malformed');
      }
      const verifier = typeof iss === 'string' ? byIssuer.get(iss) : undefined;
      if (!verifier) throw fail('the token was issued by an issuer that is not trusted');
      return verifier.verify(token);
    },
  };
}

/** The token from an `Authorization` header value. */
export function bearerToken(authorizationHeader: string | undefined): string {
  if (authorizationHeader === undefined || authorizationHeader.trim() === '') throw fail('a bearer token is required');
  const match = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i.exec(authorizationHeader);
  if (!match) throw fail('the authorization header must be "Bearer <token>"');
  return match[1];
}

function fail(message: string, cause?: unknown): UnauthenticatedError {
  return new UnauthenticatedError(message, cause === undefined ? undefined : { cause });
}

function explain(error: unknown, remote: boolean): UnauthenticatedError {
  if (error instanceof UnauthenticatedError) return error;
  if (error instanceof PrincipalClaimsError) return fail(`${NOT_A_PRINCIPAL}: ${error.message}`);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return fail('the token was issued by an issuer that is not trusted');
    if (error.claim === 'aud') return fail('the token is for another audience');
    if (error.claim === 'nbf' && error.reason === 'check_failed') return fail('the token is not yet valid');
    if (error.claim === 'exp' && error.reason === 'missing') return fail('the token has no expiry time');
    return fail('the token is malformed');
  }
  if (error instanceof errors.JOSEError) {
    switch (error.code) {
      case 'ERR_JWT_EXPIRED': return fail('the token has expired');
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      case 'ERR_JWKS_NO_MATCHING_KEY':
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS': return fail('the token signature does not verify');
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
      case 'ERR_JOSE_NOT_SUPPORTED': return fail('the token algorithm is not accepted');
      case 'ERR_JWS_INVALID':
      case 'ERR_JWT_INVALID': return fail('the token is malformed');
    }
  }
  // Whatever is left is about fetching or reading the keys, not about the token.
  return fail(remote ? "the issuer's signing keys could not be fetched" : 'the token could not be verified', error);
}

function remoteKeySet(jwksUrl: string): JWTVerifyGetKey {
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    throw new TypeError('createTokenVerifier: jwksUrl must be a URL');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new TypeError('createTokenVerifier: jwksUrl must be https (plain http only on loopback)');
  }
  return createRemoteJWKSet(url);
}

function localKeySet(publicKey: string): JWTVerifyGetKey {
  const bad = () => new TypeError('createTokenVerifier: publicKey must be a PEM SPKI public key or a public JWK as JSON');
  if (typeof publicKey !== 'string') throw bad();
  const text = publicKey.trim();
  let keys: JWK[];
  if (text.startsWith('{')) {
    let parsed: { keys?: unknown };
    try {
      parsed = JSON.parse(text) as { keys?: unknown };
    } catch {
      throw bad();
    }
    keys = (Array.isArray(parsed.keys) ? parsed.keys : [parsed]) as JWK[];
    for (const jwk of keys) {
      if (typeof jwk !== 'object' || jwk === null || jwk.kty === 'oct') throw bad();
      if ('d' in jwk) throw new TypeError('createTokenVerifier: publicKey holds a private key; give only the public key');
      try {
        createPublicKey({ key: jwk as never, format: 'jwk' });
      } catch {
        throw bad();
      }
    }
  } else {
    // createPublicKey would quietly derive a public key from a private one: refuse those outright.
    if (!text.startsWith('-----BEGIN PUBLIC KEY-----')) throw bad();
    try {
      keys = [createPublicKey({ key: text, format: 'pem' }).export({ format: 'jwk' }) as JWK];
    } catch {
      throw bad();
    }
  }
  return createLocalJWKSet({ keys });
}
