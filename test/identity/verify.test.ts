import { createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { createMultiIssuerVerifier, createTokenVerifier, type TokenVerifier } from '../../identity/verify.js';
import { base64url, refusal, unauthenticated } from './refusal.js';

const ISSUER = 'https://id.vikno.example';
const NOW = new Date('2026-03-02T09:00:00Z');
const T = NOW.getTime() / 1000;
const STAFF = { sub: 'staff-0042', vikno_role: 'staff', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг', scope: 'cadastre:read gas:read' };
const CITIZEN = { sub: '3111901220', vikno_role: 'citizen' };

let privateKey: CryptoKey;
let pem: string;
let verifier: TokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  privateKey = pair.privateKey;
  pem = await exportSPKI(pair.publicKey);
  verifier = createTokenVerifier({ issuer: ISSUER, publicKey: pem, now: () => NOW });
});

interface SignOptions { iss?: string; aud?: string; iat?: number; exp?: number | null; nbf?: number; key?: CryptoKey | Uint8Array; alg?: string }

function sign(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  const { iss = ISSUER, aud = 'vikno', iat = T - 60, exp = T + 600, nbf, key = privateKey, alg = 'EdDSA' } = options;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).setIssuer(iss).setAudience(aud).setIssuedAt(iat);
  if (exp !== null) jwt.setExpirationTime(exp);
  if (nbf !== undefined) jwt.setNotBefore(nbf);
  return jwt.sign(key);
}

describe('createTokenVerifier', () => {
  it('turns a valid staff token into the staff Principal, scopes in catalogue order', async () => {
    expect(await verifier.verify(await sign(STAFF))).toEqual({
      kind: 'staff', id: 'staff-0042', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг', scopes: ['gas:read', 'cadastre:read'],
    });
  });

  it('turns a valid citizen token into the citizen Principal', async () => {
    expect(await verifier.verify(await sign(CITIZEN))).toEqual({ kind: 'citizen', taxId: '3111901220' });
  });

  it('drops scopes it does not know and gives a staff token without scope no scopes', async () => {
    const { scope: _, ...noScope } = STAFF;
    expect(await verifier.verify(await sign({ ...STAFF, scope: 'openid water:read gas:write' }))).toMatchObject({ scopes: ['water:read'] });
    expect(await verifier.verify(await sign(noScope))).toMatchObject({ scopes: [] });
  });

  it('accepts the key as a public JWK too', async () => {
    const es = await generateKeyPair('ES256', { extractable: true });
    const jwkVerifier = createTokenVerifier({ issuer: ISSUER, publicKey: JSON.stringify(await exportJWK(es.publicKey)), now: () => NOW });
    expect(await jwkVerifier.verify(await sign(CITIZEN, { alg: 'ES256', key: es.privateKey }))).toEqual({ kind: 'citizen', taxId: '3111901220' });
  });

  it.each([
    ['an expired token', { iat: T - 3600, exp: T - 1 }, 'the token has expired'],
    ['a token that is not yet valid (nbf)', { nbf: T + 120 }, 'the token is not yet valid'],
    ['a token issued in the future (iat)', { iat: T + 120, exp: T + 3600 }, 'the token is not yet valid'],
    ['a token that never expires', { exp: null }, 'the token has no expiry time'],
    ['a token from another issuer', { iss: 'https://evil.example' }, 'the token was issued by an issuer that is not trusted'],
    ['a token for another audience', { aud: 'some-other-service' }, 'the token is for another audience'],
  ] as const)('refuses %s', async (_, options, message) => {
    expect(await refusal(verifier.verify(await sign(STAFF, options)))).toEqual(unauthenticated(message));
  });

  it('lets the clock tolerance absorb a little skew, and no more', async () => {
    const tolerant = createTokenVerifier({ issuer: ISSUER, publicKey: pem, now: () => NOW, clockToleranceSeconds: 30 });
    expect(await tolerant.verify(await sign(CITIZEN, { exp: T - 10 }))).toEqual({ kind: 'citizen', taxId: '3111901220' });
    expect(await refusal(tolerant.verify(await sign(CITIZEN, { exp: T - 31 })))).toEqual(unauthenticated('the token has expired'));
  });

  it('refuses a token forged with another key', async () => {
    const forger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect(await refusal(verifier.verify(await sign(STAFF, { key: forger.privateKey })))).toEqual(unauthenticated('the token signature does not verify'));
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await sign(CITIZEN)).split('.');
    const tampered = `${header}.${base64url({ ...CITIZEN, sub: '3111901220', vikno_role: 'staff', iss: ISSUER, aud: 'vikno', exp: T + 600 })}.${signature}`;
    expect(await refusal(verifier.verify(tampered))).toEqual(unauthenticated('the token signature does not verify'));
  });

  it('refuses an unsecured token (alg: none)', async () => {
    const unsecured = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...STAFF, iss: ISSUER, aud: 'vikno', iat: T, exp: T + 600 })}.`;
    expect(await refusal(verifier.verify(unsecured))).toEqual(unauthenticated('the token algorithm is not accepted'));
  });

  it('refuses an HS256 token signed with the public key as the secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(pem);
    expect(await refusal(verifier.verify(await sign(STAFF, { alg: 'HS256', key: secret })))).toEqual(unauthenticated('the token algorithm is not accepted'));
  });

  it('checks a token it verified before again at every use: refused once expired, and a changed copy refused', async () => {
    let clock = NOW;
    const moving = createTokenVerifier({ issuer: ISSUER, publicKey: pem, now: () => clock });
    const token = await sign(STAFF, { exp: T + 30 });
    expect(await moving.verify(token)).toMatchObject({ kind: 'staff', id: 'staff-0042' });
    expect(await moving.verify(token)).toMatchObject({ kind: 'staff', id: 'staff-0042' });
    const [header, , signature] = token.split('.');
    const changed = `${header}.${base64url({ ...STAFF, scope: 'gas:read water:read vehicles:read', iss: ISSUER, aud: 'vikno', iat: T - 60, exp: T + 30 })}.${signature}`;
    expect(await refusal(moving.verify(changed))).toEqual(unauthenticated('the token signature does not verify'));
    clock = new Date(NOW.getTime() + 31_000);
    expect(await refusal(moving.verify(token))).toEqual(unauthenticated('the token has expired'));
  });

  it('gives each use of a token its own copy of the principal', async () => {
    const token = await sign(STAFF);
    const first = await verifier.verify(token);
    if (first.kind === 'staff') (first.scopes as string[]).push('vehicles:read');
    expect(await verifier.verify(token)).toMatchObject({ scopes: ['gas:read', 'cadastre:read'] });
  });

  it.each([
    ['garbage', 'not a token at all'],
    ['three parts of nonsense', 'a.b.c'],
    ['a header that is not JSON', `${Buffer.from('{"alg":').toString('base64url')}.e30.c2ln`],
    ['an oversized token', `${'a'.repeat(9000)}.b.c`],
  ])('refuses %s as malformed', async (_, token) => {
    expect(await refusal(verifier.verify(token))).toEqual(unauthenticated('the token is malformed'));
  });

  it.each([
    ['a citizen whose sub fails the check digit', { ...CITIZEN, sub: '3111901221' }, "the citizen's sub check digit does not match"],
    ['a citizen whose sub is not ten digits', { ...CITIZEN, sub: 'staff-0042' }, "the citizen's sub must contain digits only"],
    ['a staff member without a centre', { ...STAFF, centre: undefined }, 'a staff token needs a centre'],
    ['a staff member without a name', { ...STAFF, name: '' }, 'a staff token needs a name'],
    ['a staff member whose sub carries an encoded CR/LF', { ...STAFF, sub: 'staff-0042%0d%0aX-Injected' },
      "a staff token's sub must be an id of up to 100 letters, digits and . _ @ : + - that starts with a letter or digit"],
    ['a staff member whose name hides a right-to-left override', { ...STAFF, name: 'Ірина \u202EЛевченко' },
      "a staff token's name must not contain control, format or bidirectional characters"],
    ['someone with no role', { sub: 'staff-0042' }, 'vikno_role must be "staff" or "citizen"'],
    ['someone with another role', { ...STAFF, vikno_role: 'admin' }, 'vikno_role must be "staff" or "citizen"'],
  ])('refuses a token for %s', async (_, claims, reason) => {
    expect(await refusal(verifier.verify(await sign(claims)))).toEqual(
      unauthenticated(`the token does not describe a staff member or a citizen: ${reason}`),
    );
  });
});

describe('createTokenVerifier with a JWKS URL', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(createPublicKey(pem))), alg: 'EdDSA' }] });
    server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies with the keys the issuer publishes', async () => {
    const remote = createTokenVerifier({ issuer: ISSUER, jwksUrl: url, now: () => NOW });
    expect(await remote.verify(await sign(CITIZEN))).toEqual({ kind: 'citizen', taxId: '3111901220' });
  });

  it('says the keys could not be fetched when the issuer is down, keeping the cause for the log', async () => {
    const down = createTokenVerifier({ issuer: ISSUER, jwksUrl: 'http://127.0.0.1:9/jwks.json', now: () => NOW });
    expect(await refusal(down.verify(await sign(CITIZEN)))).toEqual({
      ...unauthenticated("the issuer's signing keys could not be fetched"), hasCause: true,
    });
  });
});

describe('createTokenVerifier options', () => {
  it.each([
    ['neither key option', { issuer: ISSUER }, 'createTokenVerifier: jwksUrl or publicKey is required'],
    ['both key options', { issuer: ISSUER, publicKey: 'x', jwksUrl: 'https://id.example/jwks' }, 'createTokenVerifier: give jwksUrl or publicKey, not both'],
    ['no issuer', { issuer: '', publicKey: 'x' }, 'createTokenVerifier: issuer must be a non-empty string'],
    ['a symmetric algorithm', { issuer: ISSUER, publicKey: 'x', algorithms: ['HS256'] }, 'createTokenVerifier: algorithms: "HS256" is not an asymmetric signature algorithm'],
    ['alg none', { issuer: ISSUER, publicKey: 'x', algorithms: ['none'] }, 'createTokenVerifier: algorithms: "none" is not an asymmetric signature algorithm'],
    ['a plain-http JWKS URL off loopback', { issuer: ISSUER, jwksUrl: 'http://id.example/jwks' }, 'createTokenVerifier: jwksUrl must be https (plain http only on loopback)'],
    ['a key that is not a key', { issuer: ISSUER, publicKey: 'hello' }, 'createTokenVerifier: publicKey must be a PEM SPKI public key or a public JWK as JSON'],
    ['a shared secret as a JWK', { issuer: ISSUER, publicKey: '{"kty":"oct","k":"c2VjcmV0"}' }, 'createTokenVerifier: publicKey must be a PEM SPKI public key or a public JWK as JSON'],
  ])('throws a TypeError naming the option for %s', (_, options, message) => {
    expect(() => createTokenVerifier(options)).toThrow(new TypeError(message));
  });

  it('refuses a private key, as PEM or as JWK, rather than quietly deriving the public one', async () => {
    const { privateKey: key } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = JSON.stringify(await exportJWK(key));
    const pkcs8 = await exportPKCS8(key);
    expect(() => createTokenVerifier({ issuer: ISSUER, publicKey: jwk })).toThrow(
      new TypeError('createTokenVerifier: publicKey holds a private key; give only the public key'),
    );
    expect(() => createTokenVerifier({ issuer: ISSUER, publicKey: pkcs8 })).toThrow(
      new TypeError('createTokenVerifier: publicKey must be a PEM SPKI public key or a public JWK as JSON'),
    );
  });
});

describe('createMultiIssuerVerifier', () => {
  const OTHER = 'http://127.0.0.1:4000/oidc';
  let otherKey: CryptoKey;
  let both: TokenVerifier;

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    otherKey = pair.privateKey;
    both = createMultiIssuerVerifier([
      { issuer: ISSUER, publicKey: pem, now: () => NOW },
      { issuer: OTHER, publicKey: JSON.stringify(await exportJWK(pair.publicKey)), now: () => NOW },
    ]);
  });

  it("accepts each issuer's tokens signed with that issuer's key", async () => {
    expect(await both.verify(await sign(CITIZEN))).toEqual({ kind: 'citizen', taxId: '3111901220' });
    expect(await both.verify(await sign(CITIZEN, { iss: OTHER, key: otherKey }))).toEqual({ kind: 'citizen', taxId: '3111901220' });
  });

  it("refuses a token naming one issuer signed with the other's key, an unknown issuer, and no issuer", async () => {
    expect(await refusal(both.verify(await sign(CITIZEN, { iss: OTHER })))).toEqual(unauthenticated('the token signature does not verify'));
    expect(await refusal(both.verify(await sign(CITIZEN, { iss: 'https://evil.example' })))).toEqual(unauthenticated('the token was issued by an issuer that is not trusted'));
    const noIssuer = await new SignJWT(CITIZEN).setProtectedHeader({ alg: 'EdDSA' }).setAudience('vikno').setIssuedAt(T - 60).setExpirationTime(T + 600).sign(privateKey);
    expect(await refusal(both.verify(noIssuer))).toEqual(unauthenticated('the token was issued by an issuer that is not trusted'));
    expect(await refusal(both.verify('not.a.token'))).toEqual(unauthenticated('the token is malformed'));
  });

  it('refuses to be built without issuers or with one issuer twice', () => {
    expect(() => createMultiIssuerVerifier([])).toThrow(new TypeError('createMultiIssuerVerifier: at least one issuer is required'));
    expect(() => createMultiIssuerVerifier([{ issuer: ISSUER, publicKey: pem }, { issuer: ISSUER, publicKey: pem }]))
      .toThrow(new TypeError(`createMultiIssuerVerifier: issuer "${ISSUER}" is given twice`));
  });
});
