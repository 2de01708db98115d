import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DEMO_ACCOUNTS, demoAccount } from '../../identity/demo-accounts.js';
import { ALL_SCOPES } from '../../identity/principal.js';
import { API_AUDIENCE, WRONG_CREDENTIALS } from '../../stack/demo-provider.js';
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
  stack = await startTestStack();
  origin = stack.origin;
  issuer = stack.identityProvider!.issuer;
});
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
});
