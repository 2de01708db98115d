import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { DEMO_ACCOUNTS, demoAccount } from '../../identity/demo-accounts.js';
import { ALL_SCOPES } from '../../identity/principal.js';
import { API_AUDIENCE, createDemoProvider, PRODUCTION_REFUSAL, WRONG_CREDENTIALS } from '../../stack/demo-provider.js';
import { createAddressLimiter } from '../../gateway/address-limiter.js';
import { systemClock } from '../../platform/clock.js';
import { callCounts, resetCallCounts, startTestStack, TEST_PURPOSE, type TestStack } from '../helpers/stack.js';
import { discover, exchangeCode, followToCallback, signInWithPassword, startSignIn, submitLogin } from '../helpers/oidc.js';

/**
 * The embedded default's demo OpenID provider, without a browser: the pages' sign-in (code with
 * PKCE at the provider's own form), the token it issues, and the gateway answering with it.
 */
let stack: TestStack;
let origin: string;
let issuer: string;

beforeAll(async () => {
  stack = await startTestStack({ demoProvider: true });
  origin = stack.origin;
  issuer = stack.identityProvider!.issuer;
}, 60_000);
afterAll(() => stack?.stop());

const consoleClient = () => ({ issuer, clientId: 'vikno-console', redirectUri: `${origin}/console/`, scope: `openid ${ALL_SCOPES.join(' ')}` });
const portalClient = () => ({ issuer, clientId: 'vikno-portal', redirectUri: `${origin}/portal/`, scope: 'openid' });

const look = `query Look($taxId: ID!) { citizen(taxId: $taxId) { taxId gasAccounts { accountNumber } } }`;
async function ask(token: string, query = look, taxId = '3111901220') {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': encodeURIComponent(TEST_PURPOSE) },
    body: JSON.stringify({ query, variables: { taxId } }),
  });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

describe('the demo OpenID provider', () => {
  it('is found by discovery on the gateway origin, code flow with PKCE S256 only', async () => {
    const as = await discover(issuer);
    expect(issuer).toBe(`${origin}/oidc`);
    expect(as).toMatchObject({
      issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, end_session_endpoint: `${issuer}/session/end`,
      jwks_uri: `${issuer}/jwks`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code'], id_token_signing_alg_values_supported: ['EdDSA'],
    });
  });

  it('signs a member of staff in and the gateway answers with the access token it issues', async () => {
    const { password } = demoAccount('levchenko');
    const signedIn = await signInWithPassword({ ...consoleClient(), login: 'levchenko', password });
    expect(decodeProtectedHeader(signedIn.accessToken)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    const claims = decodeJwt(signedIn.accessToken);
    expect(claims).toEqual({
      iss: issuer, aud: API_AUDIENCE, sub: 'staff-0042', client_id: 'vikno-console', scope: ALL_SCOPES.join(' '),
      vikno_role: 'staff', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг',
      jti: expect.any(String), iat: expect.any(Number), exp: (claims.iat as number) + 3600,
    });
    expect(signedIn.claims).toMatchObject({ iss: issuer, aud: 'vikno-console', sub: 'staff-0042' });
    resetCallCounts(stack);
    const answer = await ask(signedIn.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { citizen: { taxId: '3111901220', gasAccounts: expect.any(Array) } } });
    expect(Object.values(callCounts(stack)).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('gives a member of staff with some scopes a token with only those', async () => {
    const { password } = demoAccount('bondar');
    const { accessToken } = await signInWithPassword({ ...consoleClient(), login: 'bondar', password });
    expect(decodeJwt(accessToken)).toMatchObject({ sub: 'staff-0117', vikno_role: 'staff', name: 'Олег Бондар', scope: 'gas:read heating:read water:read electricity:read' });
  });

  it('signs a citizen in at the citizen page: a citizen token without scopes, that reads its own data', async () => {
    const { password } = demoAccount('3111901220');
    const { accessToken } = await signInWithPassword({ ...portalClient(), login: '3111901220', password });
    const claims = decodeJwt(accessToken);
    expect(claims).toEqual({
      iss: issuer, aud: API_AUDIENCE, sub: '3111901220', client_id: 'vikno-portal', vikno_role: 'citizen',
      jti: expect.any(String), iat: expect.any(Number), exp: expect.any(Number),
    });
    const answer = await ask(accessToken);
    expect(answer.body).toEqual({ data: { citizen: { taxId: '3111901220', gasAccounts: expect.any(Array) } } });
  });

  it('puts no OpenID scope in an access token: asked for openid only, a member of staff gets no scope at all', async () => {
    const { password } = demoAccount('levchenko');
    const { accessToken } = await signInWithPassword({ ...portalClient(), login: 'levchenko', password });
    const claims = decodeJwt(accessToken);
    expect(claims.scope).toBeUndefined();
    expect(claims).toMatchObject({ sub: 'staff-0042', vikno_role: 'staff' });
  });

  it('refuses its ID token at the gateway: it is for the page, not the API', async () => {
    const { password } = demoAccount('levchenko');
    const { idToken } = await signInWithPassword({ ...consoleClient(), login: 'levchenko', password });
    expect(await ask(idToken)).toEqual({ status: 401, body: { errors: [{ message: 'the token is for another audience', extensions: { code: 'UNAUTHENTICATED' } }] } });
  });

  it("refuses a token signed with the provider's key for another audience, and one from an issuer it does not know", async () => {
    const jwk = JSON.parse(readFileSync(path.join(tmpdir(), `vikno-test-issuer-${process.pid}`, 'demo-provider.json'), 'utf8'));
    const key = await importJWK(jwk, 'EdDSA');
    const claims = { sub: 'staff-0042', vikno_role: 'staff', name: 'Ірина Левченко', centre: 'ЦНАП', scope: 'gas:read' };
    const sign = (iss: string, aud: string) => new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid }).setIssuer(iss).setAudience(aud).setIssuedAt().setExpirationTime('1h').sign(key);
    const refused = (message: string) => ({ status: 401, body: { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] } });
    expect(await ask(await sign(issuer, 'another-api'))).toEqual(refused('the token is for another audience'));
    expect(await ask(await sign(`${origin}/elsewhere`, 'vikno'))).toEqual(refused('the token was issued by an issuer that is not trusted'));
    // The development issuer's name with the provider's key: each issuer is checked with its own keys only.
    expect(await ask(await sign('vikno-dev-issuer', 'vikno'))).toEqual(refused('the token signature does not verify'));
    // And the development issuer's own tokens (npm run token) still work.
    expect((await ask(await stack.token())).status).toBe(200);
  });

  it('tells the pages where to sign in, and serves the browser library they use', async () => {
    for (const [app, scope] of [['console', `openid ${ALL_SCOPES.join(' ')}`], ['portal', 'openid']] as const) {
      const response = await fetch(`${origin}/${app}/config.json`);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ issuer, clientId: `vikno-${app}`, scope });
    }
    const library = await fetch(`${origin}/shared/vendor/oauth4webapi.js`);
    expect(library.status).toBe(200);
    expect(library.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await library.text()).toContain('export async function authorizationCodeGrantRequest');
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = new URL(`${issuer}/auth`);
    url.search = new URLSearchParams({ client_id: 'vikno-console', redirect_uri: `${origin}/console/`, response_type: 'code', scope: 'openid', state: 'abc' }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    const back = new URL(response.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(`${origin}/console/`);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'invalid_request', error_description: 'Authorization Server policy requires PKCE to be used for this request', state: 'abc', iss: issuer });
  });

  it('shows its sign-in form in Ukrainian, with labelled fields', async () => {
    const start = await startSignIn(consoleClient());
    expect(start.formHtml).toContain('<html lang="uk">');
    expect(start.formHtml).toContain('<label for="login">Логін</label>');
    expect(start.formHtml).toContain('<label for="password">Пароль</label>');
    expect(start.formHtml).toContain('<button type="submit">Увійти</button>');
    expect(start.formHtml).not.toMatch(/https?:\/\//);
  });

  it('refuses a wrong password and an unknown login alike, in Ukrainian, without saying which was wrong; then signs in', async () => {
    const start = await startSignIn(consoleClient());
    const wrongPassword = await submitLogin(start, 'levchenko', 'not-the-password');
    const unknownLogin = await submitLogin(start, 'nobody', demoAccount('levchenko').password);
    expect(wrongPassword.status).toBe(401);
    expect(unknownLogin.status).toBe(401);
    const [a, b] = [await wrongPassword.text(), await unknownLogin.text()];
    expect(a).toContain(`<p id="error" class="error" role="alert">${WRONG_CREDENTIALS}</p>`);
    expect(a.replace('value="levchenko"', 'value="nobody"')).toBe(b);
    expect(a).not.toContain('not-the-password');
    // The same interaction still signs in with the right password.
    const callback = await followToCallback(start, await submitLogin(start, 'levchenko', demoAccount('levchenko').password), `${origin}/console/`);
    const { accessToken } = await exchangeCode(start, callback, `${origin}/console/`);
    expect(decodeJwt(accessToken).sub).toBe('staff-0042');
  });

  it('does not run under NODE_ENV=production', async () => {
    await expect(createDemoProvider({ origin, env: { NODE_ENV: 'production' }, limiter: createAddressLimiter({ clock: systemClock }) }))
      .rejects.toThrow(PRODUCTION_REFUSAL);
  });

  it('knows every demo account', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const client = account.principal.kind === 'staff' ? consoleClient() : portalClient();
      const { accessToken } = await signInWithPassword({ ...client, login: account.login, password: account.password });
      expect(decodeJwt(accessToken)).toMatchObject({ sub: account.principal.kind === 'staff' ? account.principal.id : account.principal.taxId, vikno_role: account.principal.kind });
    }
  });

  it('stops checking passwords from an address after 10 failures in a minute', async () => {
    const start = await startSignIn(consoleClient());
    const statuses: number[] = [];
    // Two failures were counted by the test above.
    for (let i = 0; i < 9; i++) statuses.push((await submitLogin(start, 'levchenko', 'wrong')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
    const refused = await submitLogin(start, 'levchenko', demoAccount('levchenko').password);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/Забагато невдалих спроб входу\. Спробуйте знову за \d+ с\./);
  });
});
