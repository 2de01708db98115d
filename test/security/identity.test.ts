import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { loadDevIssuer } from '../../identity/dev-issuer.js';
import { callCounts, gql, resetCallCounts, startTestStack, type TestStack } from '../helpers/stack.js';

/** Attacks on identity: every one refused with UNAUTHENTICATED before any partner is called. */

let stack: TestStack;
const issuerDir = path.join(tmpdir(), `vikno-test-issuer-${process.pid}`);
const overview = `query Look($taxId: ID!) { citizen(taxId: $taxId) { taxId gasAccounts { accountNumber } landParcels { cadastralNumber } } }`;

beforeAll(async () => { stack = await startTestStack(); });
beforeEach(() => resetCallCounts(stack));
afterAll(() => stack.stop());

/** A token signed with the development issuer's own private key, with claims of the attacker's choosing. */
async function signedWithDevKey(claims: Record<string, unknown>, issuer: string): Promise<string> {
  const jwk = JSON.parse(readFileSync(path.join(issuerDir, 'dev-issuer.json'), 'utf8'));
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).setIssuer(issuer).setAudience('vikno')
    .setIssuedAt().setExpirationTime('1h').sign(await importJWK(jwk, 'EdDSA'));
}

async function attack(authorization: string | undefined) {
  const headers: Record<string, string> = authorization === undefined ? { authorization: '' } : { authorization };
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: overview, variables: { taxId: '3111901220' } }),
  });
  const calls = Object.values(callCounts(stack)).reduce((a, b) => a + b, 0);
  return { status: response.status, body: await response.json(), partnerCalls: calls };
}

const refused = (message: string) => ({ status: 401, body: { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }, partnerCalls: 0 });

describe('attacks on identity, at the gateway', () => {
  it('refuses a request without a token', async () => {
    expect(await attack(undefined)).toEqual(refused('a bearer token is required'));
  });

  it('refuses a token that is not a bearer token', async () => {
    expect(await attack('Basic c3RhZmY6c3RhZmY=')).toEqual(refused('the authorization header must be "Bearer <token>"'));
  });

  it('refuses an expired token', async () => {
    const past = await loadDevIssuer({ dir: issuerDir, env: {}, now: () => new Date(Date.now() - 7200_000) });
    expect(await attack(`Bearer ${await past.issue({ kind: 'staff' }, { ttlSeconds: 60 })}`)).toEqual(refused('the token has expired'));
  });

  it('refuses a token signed with another key (forged)', async () => {
    const other = await loadDevIssuer({ dir: path.join(tmpdir(), `vikno-forger-${process.pid}`), env: {} });
    expect(await attack(`Bearer ${await other.issue({ kind: 'staff' })}`)).toEqual(refused('the token signature does not verify'));
  });

  it('refuses a token for another issuer, even with a valid signature', async () => {
    const token = await signedWithDevKey({ sub: 'staff-0042', vikno_role: 'staff', name: 'X', centre: 'Y', scope: 'gas:read' }, 'https://evil.example');
    expect(await attack(`Bearer ${token}`)).toEqual(refused('the token was issued by an issuer that is not trusted'));
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'staff-0042', vikno_role: 'staff', iss: 'vikno-dev-issuer', aud: 'vikno', exp: 4102444800 })}.`;
    expect(await attack(`Bearer ${token}`)).toEqual(refused('the token algorithm is not accepted'));
  });
});

describe('attacks around the gateway, straight at a subgraph', () => {
  const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { gasAccounts { accountNumber } } } }`;
  const r = [{ __typename: 'Citizen', taxId: '3111901220' }];

  it('refuses a request without the gateway\'s assertion, even with a valid user token', async () => {
    const answer = await gql(stack.subgraphUrls.gas, entities, { r });
    expect(answer).toEqual({ errors: [{ message: 'the request did not come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(callCounts(stack)['gas-kryvyi-rih']).toBe(0);
  });

  it('refuses a forged assertion', async () => {
    const answer = await gql(stack.subgraphUrls.gas, entities, { r }, { 'x-vikno-assertion': await signedWithDevKey({ rid: 'x' }, 'vikno-gateway') });
    expect(answer).toEqual({ errors: [{ message: 'the request did not come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(callCounts(stack)['gas-kryvyi-rih']).toBe(0);
  });
});
