/**
 * Sign-in for the pages (the console and the citizen page): OpenID Connect, authorization code
 * with PKCE (S256), at the issuer the gateway names in `/<app>/config.json` — in the embedded
 * default its demo OpenID provider, in production the centre's. The protocol is oauth4webapi's
 * (served from the gateway, /shared/vendor/, through each page's import map); this module keeps
 * the state between the redirects and the session.
 *
 * Everything lives in sessionStorage (never localStorage): a reload keeps the session, closing the
 * tab ends it. The access token is the one the gateway verifies; what the page shows about the
 * person (role, name, scopes) is read from it, the gateway deciding what it may actually read.
 */
import * as oauth from 'oauth4webapi';

export type AppName = 'console' | 'portal';

export interface Session {
  /** The bearer token the gateway verifies. */
  accessToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  role: 'staff' | 'citizen';
  /** Staff: display name; citizen: the tax id. */
  name: string;
  /** Staff scopes (`gas:read` …); empty for a citizen. */
  scopes: readonly string[];
}

interface PageConfig {
  issuer: string;
  clientId: string;
  scope: string;
}

interface Pending {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export const sessionKey = (app: AppName) => `vikno.session.${app}`;
const idTokenKey = (app: AppName) => `vikno.id-token.${app}`;
const pendingKey = (app: AppName) => `vikno.sign-in.${app}`;
const errorKey = (app: AppName) => `vikno.sign-in-error.${app}`;
const ROLE: Readonly<Record<AppName, Session['role']>> = { console: 'staff', portal: 'citizen' };
const WRONG_ROLE: Readonly<Record<AppName, string>> = {
  console: 'Консоль — лише для працівників ЦНАП: увійдіть службовим обліковим записом.',
  portal: 'Ця сторінка — для громадян: увійдіть обліковим записом громадянина.',
};
const FAILED = 'Не вдалося увійти. Спробуйте ще раз.';

const redirectUri = (app: AppName) => `${location.origin}/${app}/`;

let discovered: Promise<{ config: PageConfig; as: oauth.AuthorizationServer }> | undefined;

async function issuer(app: AppName): Promise<{ config: PageConfig; as: oauth.AuthorizationServer; options: Insecure }> {
  discovered ??= (async () => {
    const response = await fetch(`/${app}/config.json`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`sign-in is not configured (${response.status})`);
    const config = (await response.json()) as PageConfig;
    const url = new URL(config.issuer);
    const as = await oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { ...insecure(url), algorithm: 'oidc' }));
    return { config, as };
  })();
  try {
    const found = await discovered;
    return { ...found, options: insecure(new URL(found.config.issuer)) };
  } catch (error) {
    discovered = undefined;
    throw error;
  }
}

/** Plain http only for an issuer on loopback (the embedded default's demo provider). */
type Insecure = { [oauth.allowInsecureRequests]?: boolean };

function insecure(url: URL): Insecure {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return url.protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true } : {};
}

function readJson<T>(key: string): T | undefined {
  const text = sessionStorage.getItem(key);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    sessionStorage.removeItem(key);
    return undefined;
  }
}

/** What the access token says about the person (the gateway verifies it; the page only reads it). */
function sessionFrom(accessToken: string, expiresIn: number | undefined): Session | undefined {
  let claims: Record<string, unknown>;
  try {
    const part = accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const role = claims.vikno_role;
  if ((role !== 'staff' && role !== 'citizen') || typeof claims.sub !== 'string') return undefined;
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Infinity;
  const expiresAt = Math.min(exp, expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000);
  if (!Number.isFinite(expiresAt)) return undefined;
  return {
    accessToken, expiresAt, role,
    name: role === 'staff' && typeof claims.name === 'string' ? claims.name : claims.sub,
    scopes: role === 'staff' && typeof claims.scope === 'string' ? claims.scope.split(' ').filter((s) => s.includes(':')) : [],
  };
}

let expiryTimer: ReturnType<typeof setTimeout> | undefined;

/** At expiry the session ends and the page goes back to its start. */
function watchExpiry(app: AppName, session: Session): void {
  clearTimeout(expiryTimer);
  const left = session.expiresAt - Date.now();
  if (left < 2 ** 31) {
    expiryTimer = setTimeout(() => {
      sessionStorage.removeItem(sessionKey(app));
      sessionStorage.removeItem(idTokenKey(app));
      location.assign(`/${app}/`);
    }, left);
  }
}

/** Completes a sign-in when the page was opened with the issuer's answer (`?code=…&state=…`). */
async function completeSignIn(app: AppName): Promise<Session | undefined> {
  const callback = new URL(location.href);
  const pending = readJson<Pending>(pendingKey(app));
  sessionStorage.removeItem(pendingKey(app));
  // The code and state leave the address bar (and the history) whatever happens next.
  history.replaceState(history.state, '', `${location.pathname}${location.hash}`);
  if (!pending) return undefined;
  try {
    const { config, as, options } = await issuer(app);
    const client: oauth.Client = { client_id: config.clientId };
    const params = oauth.validateAuthResponse(as, client, callback, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(app), pending.codeVerifier, options);
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
    const session = sessionFrom(result.access_token, result.expires_in);
    if (!session) throw new Error('the access token does not describe a person');
    if (session.role !== ROLE[app]) {
      sessionStorage.setItem(errorKey(app), WRONG_ROLE[app]);
      return undefined;
    }
    sessionStorage.setItem(sessionKey(app), JSON.stringify(session));
    if (result.id_token) sessionStorage.setItem(idTokenKey(app), result.id_token);
    return session;
  } catch (error) {
    console.error('sign-in failed', error);
    sessionStorage.setItem(errorKey(app), FAILED);
    return undefined;
  }
}

/**
 * The session, or undefined when no one is signed in (or the token has expired). When the URL
 * carries the issuer's answer to a sign-in, completes it first.
 */
export async function currentSession(app: AppName): Promise<Session | undefined> {
  const query = new URLSearchParams(location.search);
  let session: Session | undefined;
  if (query.has('state') && (query.has('code') || query.has('error'))) session = await completeSignIn(app);
  else session = readJson<Session>(sessionKey(app));
  if (!session) return undefined;
  if (!(session.expiresAt > Date.now())) {
    sessionStorage.removeItem(sessionKey(app));
    sessionStorage.removeItem(idTokenKey(app));
    return undefined;
  }
  watchExpiry(app, session);
  return session;
}

/** Why the last sign-in did not succeed, in Ukrainian, once; undefined when it did or none was tried. */
export function signInError(app: AppName): string | undefined {
  const message = sessionStorage.getItem(errorKey(app)) ?? undefined;
  sessionStorage.removeItem(errorKey(app));
  return message;
}

/** Goes to the issuer's sign-in; the issuer sends the browser back to this page with a code. */
export async function signIn(app: AppName): Promise<void> {
  const { config, as } = await issuer(app);
  const pending: Pending = { state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), codeVerifier: oauth.generateRandomCodeVerifier() };
  sessionStorage.setItem(pendingKey(app), JSON.stringify(pending));
  sessionStorage.removeItem(errorKey(app));
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: config.clientId, redirect_uri: redirectUri(app), response_type: 'code', scope: config.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier), code_challenge_method: 'S256',
    state: pending.state, nonce: pending.nonce,
    // A desk is shared: every sign-in asks for the password, never reusing someone's session at the issuer.
    prompt: 'login',
  }).toString();
  location.assign(url.href);
}

/**
 * Ends the session: everything the page kept in sessionStorage goes, then the issuer's session
 * (RP-initiated logout), which sends the browser back to the page's start.
 */
export async function signOut(app: AppName): Promise<void> {
  const idToken = sessionStorage.getItem(idTokenKey(app));
  clearTimeout(expiryTimer);
  sessionStorage.clear();
  try {
    const { config, as } = await issuer(app);
    if (as.end_session_endpoint) {
      const url = new URL(as.end_session_endpoint);
      url.search = new URLSearchParams({
        client_id: config.clientId, post_logout_redirect_uri: redirectUri(app), ...(idToken ? { id_token_hint: idToken } : {}),
      }).toString();
      location.assign(url.href);
      return;
    }
  } catch (error) {
    console.error('sign-out at the issuer failed', error);
  }
  location.assign(`/${app}/`);
}
