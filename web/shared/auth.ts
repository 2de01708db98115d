/**
 * The signed-in session of a page (the console or the citizen page), kept in sessionStorage so a
 * reload keeps it and closing the tab ends it.
 *
 * STAND-IN: the OpenID Connect sign-in (authorization code with PKCE against the configured
 * issuer) replaces signIn/signOut/currentSession; until then a session can only be put in place by
 * a test (test/browser/sign-in.ts). The interface is what the pages rely on.
 */
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

export const sessionKey = (app: AppName) => `vikno.session.${app}`;

/** The session, or undefined when no one is signed in (or the token has expired). */
export async function currentSession(app: AppName): Promise<Session | undefined> {
  const text = sessionStorage.getItem(sessionKey(app));
  if (!text) return undefined;
  const session = JSON.parse(text) as Session;
  if (session.expiresAt <= Date.now()) {
    sessionStorage.removeItem(sessionKey(app));
    return undefined;
  }
  return session;
}

export async function signIn(_app: AppName): Promise<void> {
  throw new Error('sign-in is not connected yet');
}

export async function signOut(app: AppName): Promise<void> {
  sessionStorage.removeItem(sessionKey(app));
  location.assign(`/${app}/`);
}
