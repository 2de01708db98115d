import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { fixedClock } from '../../platform/clock.js';
import { loadDevIssuer } from '../../identity/dev-issuer.js';
import { claimsFromPrincipal } from '../../identity/principal.js';
import { pageClientsFromEnv, stackIdentityFromEnv } from '../../stack/auth-env.js';
import { ConfigError } from '../../platform/env.js';
import { startStack, type RunningStack } from '../../stack/start-stack.js';
import { captureLog, DEMO_STAFF_PRINCIPAL, TEST_AS_OF, TEST_NOW, TEST_PURPOSE } from '../helpers/stack.js';
import { openTestTrail, type TestTrail } from '../helpers/trail.js';

/**
 * `npm start` trusts the issuer the environment names (AUTH_ISSUER with AUTH_PUBLIC_KEY here) as the
 * gateway alone does, and signs its assertions with ASSERTION_SECRET: stack/main.ts hands
 * stackIdentityFromEnv(process.env) to startStack, as this test does.
 */

const ISSUER = 'https://id.example.test/realms/cnap';
const keys = generateKeyPairSync('ed25519');
const secret = randomBytes(32).toString('base64');
const env = { AUTH_ISSUER: ISSUER, AUTH_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), ASSERTION_SECRET: secret, CONSOLE_CLIENT_ID: 'cnap-console' };
const query = 'query One($taxId: ID!) { citizen(taxId: $taxId) { taxId } }';

let stack: RunningStack;
let trail: TestTrail;

beforeAll(async () => {
  trail = await openTestTrail();
  stack = await startStack({
    log: captureLog().logger, populationSize: 300, asOf: TEST_AS_OF, clock: fixedClock(TEST_NOW), trail, securityLog: trail.securityLog,
    ...stackIdentityFromEnv(env),
  });
});
afterAll(async () => {
  await stack?.stop();
  await trail?.dispose();
});

async function ask(token: string) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': encodeURIComponent(TEST_PURPOSE) },
    body: JSON.stringify({ query, variables: { taxId: '3111901220' } }),
  });
  return { status: response.status, body: await response.json() };
}

/** A token of the configured issuer, signed with the key pair whose public half is AUTH_PUBLIC_KEY. */
const issuerToken = () => new SignJWT({ ...claimsFromPrincipal(DEMO_STAFF_PRINCIPAL) }).setProtectedHeader({ alg: 'EdDSA' })
  .setIssuer(ISSUER).setAudience('vikno').setIssuedAt().setExpirationTime('5m').sign(keys.privateKey);

describe('npm start with a real token issuer configured', () => {
  it('reads the issuer, the assertion secret and production mode from the environment', () => {
    expect(stackIdentityFromEnv(env)).toEqual({
      issuer: { issuer: ISSUER, audience: 'vikno', publicKey: env.AUTH_PUBLIC_KEY }, assertionSecret: secret, production: false,
      pageClients: { console: 'cnap-console', portal: 'vikno-portal' },
    });
    expect(stackIdentityFromEnv({ NODE_ENV: 'production' })).toEqual({
      issuer: undefined, assertionSecret: undefined, production: true, pageClients: { console: 'vikno-console', portal: 'vikno-portal' },
    });
  });

  it('refuses page client ids that are not client ids, or set without AUTH_ISSUER', () => {
    const error = (e: Record<string, string>) => { try { pageClientsFromEnv(e); } catch (caught) { return caught; } return undefined; };
    expect(error({ AUTH_ISSUER: ISSUER, PORTAL_CLIENT_ID: 'портал' })).toEqual(new ConfigError('PORTAL_CLIENT_ID: must be 1 to 200 visible ASCII characters without surrounding spaces'));
    expect(error({ AUTH_ISSUER: ISSUER, CONSOLE_CLIENT_ID: ' console' })).toEqual(new ConfigError('CONSOLE_CLIENT_ID: must be 1 to 200 visible ASCII characters without surrounding spaces'));
    expect(error({ AUTH_ISSUER: ISSUER, CONSOLE_CLIENT_ID: 'x'.repeat(201) })).toEqual(new ConfigError('CONSOLE_CLIENT_ID: must be 1 to 200 visible ASCII characters without surrounding spaces'));
    expect(error({ CONSOLE_CLIENT_ID: 'cnap-console' })).toEqual(new ConfigError('CONSOLE_CLIENT_ID: only with AUTH_ISSUER (without it the demo OpenID provider serves the pages with its own clients)'));
  });

  it('sends the pages to that issuer with their client ids, and runs no demo provider', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    expect(await (await fetch(`${origin}/console/config.json`)).json()).toEqual({ issuer: ISSUER, clientId: 'cnap-console', scope: expect.stringMatching(/^openid gas:read /) });
    expect(await (await fetch(`${origin}/portal/config.json`)).json()).toEqual({ issuer: ISSUER, clientId: 'vikno-portal', scope: 'openid' });
    expect((await fetch(`${origin}/oidc/.well-known/openid-configuration`)).status).toBe(404);
    expect(stack.identityProvider).toBeUndefined();
  });

  it('answers a token from that issuer', async () => {
    expect(await ask(await issuerToken())).toEqual({ status: 200, body: { data: { citizen: { taxId: '3111901220' } } } });
  });

  it('refuses a development token with 401, and runs no development issuer', async () => {
    const dev = await loadDevIssuer({ dir: path.join(tmpdir(), `vikno-test-issuer-${process.pid}`), env: {} });
    expect(await ask(await dev.issue({ kind: 'staff' }))).toEqual({
      status: 401, body: { errors: [{ message: 'the token signature does not verify', extensions: { code: 'UNAUTHENTICATED' } }] },
    });
    expect(stack.devIssuer).toBeUndefined();
  });

  it('signs its assertions to the subgraphs with ASSERTION_SECRET', () => {
    expect(Buffer.from(stack.assertionKey.bytes).toString('utf8')).toBe(secret);
  });
});
