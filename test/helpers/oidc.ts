/**
 * Signs in at an OpenID provider as a browser would, without one: the authorization request with
 * PKCE, the provider's login form (a cookie jar and manual redirects), the code back at the page's
 * redirect URI, and the code exchanged for tokens — with oauth4webapi, the library the pages use.
 */
import * as oauth from 'oauth4webapi';

export interface CookieJar {
  cookies: Map<string, string>;
  /** fetch with the jar's cookies, keeping what the answer sets; redirects are not followed. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

export function cookieJar(): CookieJar {
  const cookies = new Map<string, string>();
  return {
    cookies,
    async fetch(url, init = {}) {
      const headers = new Headers(init.headers);
      if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
      const response = await fetch(url, { ...init, headers, redirect: 'manual' });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair.indexOf('=');
        const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
      return response;
    },
  };
}

export interface SignInOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  login: string;
  password: string;
  jar?: CookieJar;
}

export interface SignInStart {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  jar: CookieJar;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The login form's page and where it posts. */
  formHtml: string;
  formAction: string;
}

const insecure = { [oauth.allowInsecureRequests]: true } as const;

export async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { ...insecure, algorithm: 'oidc' }));
}

/** Up to the provider's login form. */
export async function startSignIn(options: Omit<SignInOptions, 'login' | 'password'>): Promise<SignInStart> {
  const as = await discover(options.issuer);
  const client: oauth.Client = { client_id: options.clientId, id_token_signed_response_alg: 'EdDSA' };
  const jar = options.jar ?? cookieJar();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: options.clientId, redirect_uri: options.redirectUri, response_type: 'code', scope: options.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', state, nonce,
  }).toString();
  let response = await jar.fetch(url.href);
  if (response.status !== 303 && response.status !== 302) throw new Error(`authorization request: ${response.status} ${await response.text()}`);
  const interaction = new URL(response.headers.get('location')!, url).href;
  response = await jar.fetch(interaction);
  const formHtml = await response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(formHtml)?.[1];
  if (!action) throw new Error(`no login form (${response.status}): ${formHtml.slice(0, 300)}`);
  return { as, client, jar, state, nonce, codeVerifier, formHtml, formAction: new URL(action, interaction).href };
}

/** Posts the login form; the answer is the provider's (a redirect on success, the form again otherwise). */
export async function submitLogin(start: SignInStart, login: string, password: string): Promise<Response> {
  return start.jar.fetch(start.formAction, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login, password }).toString(),
  });
}

/** Follows the provider's redirects until one leaves it: the page's redirect URI with the code. */
export async function followToCallback(start: SignInStart, response: Response, redirectUri: string): Promise<URL> {
  let current = response;
  let base = start.formAction;
  for (let hops = 0; hops < 10; hops++) {
    if (current.status !== 303 && current.status !== 302) throw new Error(`expected a redirect, got ${current.status}: ${(await current.text()).slice(0, 300)}`);
    const next = new URL(current.headers.get('location')!, base);
    if (next.href.startsWith(redirectUri)) return next;
    base = next.href;
    current = await start.jar.fetch(next.href);
  }
  throw new Error('too many redirects');
}

export interface SignedIn {
  accessToken: string;
  idToken: string;
  expiresIn?: number;
  claims: oauth.IDToken;
}

export async function exchangeCode(start: SignInStart, callback: URL, redirectUri: string): Promise<SignedIn> {
  const params = oauth.validateAuthResponse(start.as, start.client, callback, start.state);
  const response = await oauth.authorizationCodeGrantRequest(start.as, start.client, oauth.None(), params, redirectUri, start.codeVerifier, insecure);
  const result = await oauth.processAuthorizationCodeResponse(start.as, start.client, response, { expectedNonce: start.nonce, requireIdToken: true });
  return { accessToken: result.access_token, idToken: result.id_token!, expiresIn: result.expires_in, claims: oauth.getValidatedIdTokenClaims(result)! };
}

/** The whole sign-in: the access token the provider issues for the account. */
export async function signInWithPassword(options: SignInOptions): Promise<SignedIn> {
  const start = await startSignIn(options);
  const callback = await followToCallback(start, await submitLogin(start, options.login, options.password), options.redirectUri);
  return exchangeCode(start, callback, options.redirectUri);
}
