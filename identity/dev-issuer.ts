/**
 * The development issuer: the embedded default's stand-in for the identity provider a real
 * deployment trusts (through createTokenVerifier's jwksUrl or publicKey). Its Ed25519 key is made
 * once per checkout in `.vikno/dev-issuer.json` (mode 0600, git-ignored), so tokens printed by
 * `npm run token` keep verifying across restarts. It refuses to run under NODE_ENV=production:
 * anyone with the checkout can sign any identity with it.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { checkRnokpp } from '../domain/identifiers.js';
import { projectRoot } from '../domain/project-root.js';
import { ALL_SCOPES, claimsFromPrincipal, isScope, principalFromClaims, type Principal } from './principal.js';
import type { TokenVerifierOptions } from './verify.js';

export const DEV_ISSUER = 'vikno-dev-issuer';
export const DEV_ISSUER_FILE = 'dev-issuer.json';
export const DEV_AUDIENCE = 'vikno';
export const DEMO_STAFF = Object.freeze({ id: 'staff-0042', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг' });
export const PRODUCTION_REFUSAL = 'the development issuer does not run when NODE_ENV=production';

export type DevTokenClaims =
  | { kind: 'staff'; id?: string; name?: string; centre?: string; scopes?: readonly string[] }
  | { kind: 'citizen'; taxId: string };

export interface DevIssuerOptions {
  /** Where the key file lives (default `<project root>/.vikno`). */
  dir?: string;
  env: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

export interface DevIssuer {
  issuer: string;
  publicJwk: JWK;
  /** Hand to createTokenVerifier to trust this issuer's tokens. */
  verifierOptions: TokenVerifierOptions & { issuer: string; publicKey: string };
  issue(claims: DevTokenClaims, options?: { ttlSeconds?: number }): Promise<string>;
}

export function assertNotProduction(env: Readonly<Record<string, string | undefined>>): void {
  if (env.NODE_ENV === 'production') throw new Error(PRODUCTION_REFUSAL);
}

export async function loadDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  assertNotProduction(options.env);
  const { dir = path.join(projectRoot(), '.vikno'), now = () => new Date() } = options;
  const privateJwk = await loadOrCreateKey(dir, DEV_ISSUER_FILE);
  const { kty, crv, x, kid } = privateJwk;
  const publicJwk: JWK = { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' };
  const privateKey = await importJWK(privateJwk, 'EdDSA');

  return {
    issuer: DEV_ISSUER,
    publicJwk,
    verifierOptions: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, publicKey: JSON.stringify(publicJwk), algorithms: ['EdDSA'] },
    async issue(claims, { ttlSeconds = 3600 } = {}) {
      if (!(Number.isInteger(ttlSeconds) && ttlSeconds > 0)) throw new TypeError('ttlSeconds must be a whole number of seconds above 0');
      const iat = Math.floor(now().getTime() / 1000);
      return new SignJWT({ ...claimsFromPrincipal(devPrincipal(claims)) })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(privateKey);
    },
  };
}

/** The principal a development token will describe; the demo staff member fills what is left out. */
export function devPrincipal(claims: DevTokenClaims): Principal {
  if (claims.kind === 'citizen') {
    const reason = typeof claims.taxId === 'string' ? checkRnokpp(claims.taxId) : 'is missing';
    if (reason) throw new TypeError(`citizen: taxId ${reason}`);
    return { kind: 'citizen', taxId: claims.taxId };
  }
  if (claims.kind !== 'staff') throw new TypeError('kind must be "staff" or "citizen"');
  const { id = DEMO_STAFF.id, name = DEMO_STAFF.name, centre = DEMO_STAFF.centre, scopes = ALL_SCOPES } = claims;
  for (const [field, value] of Object.entries({ id, name, centre })) {
    if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`staff: ${field} must be a non-empty string`);
  }
  for (const scope of scopes) {
    if (!isScope(scope)) throw new TypeError(`staff: unknown scope "${scope}" (known: ${ALL_SCOPES.join(', ')})`);
  }
  const principal: Principal = { kind: 'staff', id, name, centre, scopes: ALL_SCOPES.filter((s) => scopes.includes(s)) };
  // The rules the gateway verifies a token by: a token it would refuse is not issued at all.
  try {
    return principalFromClaims({ ...claimsFromPrincipal(principal) });
  } catch (error) {
    throw new TypeError(`staff: ${(error as Error).message}`);
  }
}

/**
 * The Ed25519 private key (a JWK with its thumbprint as kid) in `<dir>/<fileName>`, made once
 * (mode 0600) when there is none. The demo OpenID provider keeps its key the same way.
 */
export async function loadOrCreateKey(dir: string, fileName: string): Promise<JWK> {
  const file = path.join(dir, fileName);
  const existing = await readKeyFile(file);
  if (existing) return existing;

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  // Written whole under a private name, then linked into place: link never replaces an existing
  // file, so when two processes start at once both end up with the one key that won, and nobody
  // ever reads a half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  const created = await readKeyFile(file);
  if (!created) throw new Error(`${file} vanished while the development issuer was starting`);
  return created;
}

async function readKeyFile(file: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    jwk = {};
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || typeof jwk.d !== 'string') {
    throw new Error(`${file} does not hold an Ed25519 private key; delete it and a new one is made`);
  }
  if (typeof jwk.kid !== 'string') jwk.kid = await calculateJwkThumbprint(jwk);
  return jwk;
}
