/**
 * The demo OpenID provider of the embedded default: a real, certified implementation
 * (`oidc-provider`) standing in for the centre's identity provider, so the demo signs in through
 * the same authorization-code-with-PKCE path production does. It knows the demo accounts
 * (identity/demo-accounts.ts), issues access tokens as JWTs for the resource `urn:vikno:api`
 * (audience `vikno`, EdDSA, its key kept like the development issuer's in `.vikno/`, mode 0600)
 * with the claims identity/principal.ts reads, and refuses to run under NODE_ENV=production.
 *
 * Scopes: the staff scopes are the resource server's scopes. A page asks for the ones it may use;
 * the grant made for these first-party pages (no consent screen) holds the ones the account has
 * and rejects the rest, so the token's `scope` is what the account may read. `openid` is an
 * OpenID scope, never a resource scope: it is not in the access token.
 */
import path from 'node:path';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { projectRoot } from '../domain/project-root.js';
import { ALL_SCOPES, claimsFromPrincipal } from '../identity/principal.js';
import { DEMO_ACCOUNTS, type DemoAccount } from '../identity/demo-accounts.js';
import { loadOrCreateKey } from '../identity/dev-issuer.js';
import type { TokenVerifierOptions } from '../identity/verify.js';
import { DEFAULT_PAGE_CLIENTS } from './auth-env.js';
import type { AddressLimiter } from '../gateway/address-limiter.js';
import { demoProviderStore } from './demo-provider-store.js';
import { escapeHtml, loginPage, logoutPage, messagePage } from './demo-provider-pages.js';

export const DEMO_PROVIDER_PATH = '/oidc';
export const DEMO_PROVIDER_KEY_FILE = 'demo-provider.json';
/** The resource indicator of the API; its tokens say `aud: vikno`. */
export const API_RESOURCE = 'urn:vikno:api';
export const API_AUDIENCE = 'vikno';
export const WRONG_CREDENTIALS = 'Неправильний логін або пароль.';
export const PRODUCTION_REFUSAL = 'the demo OpenID provider does not run when NODE_ENV=production';

export interface DemoProviderOptions {
  /** The origin the pages and the provider share, e.g. http://127.0.0.1:4000 (the port actually bound). */
  origin: string;
  /** Where its signing key lives (default `<project root>/.vikno`). */
  dir?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Failed sign-ins per client address and window: past it, the form refuses without checking. */
  limiter: AddressLimiter;
  accounts?: readonly DemoAccount[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtlSeconds?: number;
}

export interface DemoProvider {
  issuer: string;
  /** Mount at DEMO_PROVIDER_PATH on the origin. */
  router: Router;
  /** Hand to the gateway's verifier to trust this provider's access tokens. */
  verifierOptions: TokenVerifierOptions & { issuer: string; publicKey: string };
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Compares in constant time, and spends the same whether or not the login exists. */
function checkPassword(account: DemoAccount | undefined, password: string): boolean {
  const expected = digest(account?.password ?? randomBytes(16).toString('hex'));
  return timingSafeEqual(expected, digest(password)) && account !== undefined;
}

export async function createDemoProvider(options: DemoProviderOptions): Promise<DemoProvider> {
  if (options.env.NODE_ENV === 'production') throw new Error(PRODUCTION_REFUSAL);
  // Loaded only when it runs: on Node 20 the library prints a warning as it loads, which a start
  // that fails early, or one with a configured issuer, has no business printing.
  const { default: Provider, errors: oidcErrors } = await import('oidc-provider');
  const { origin, limiter, accounts = DEMO_ACCOUNTS, accessTokenTtlSeconds = 3600 } = options;
  const issuer = `${origin}${DEMO_PROVIDER_PATH}`;
  const privateJwk = await loadOrCreateKey(options.dir ?? path.join(projectRoot(), '.vikno'), DEMO_PROVIDER_KEY_FILE);
  const { kty, crv, x, kid } = privateJwk;
  const publicJwk = { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' };

  const byLogin = new Map(accounts.map((a) => [a.login, a]));
  const bySub = new Map(accounts.map((a) => [claimsFromPrincipal(a.principal).sub, a]));
  const scopesOf = (account: DemoAccount | undefined): readonly string[] => (account?.principal.kind === 'staff' ? account.principal.scopes : []);

  const pageClient = (app: keyof typeof DEFAULT_PAGE_CLIENTS) => ({
    client_id: DEFAULT_PAGE_CLIENTS[app],
    client_name: app === 'console' ? 'Вікно · консоль ЦНАП' : 'Вікно · мої дані',
    token_endpoint_auth_method: 'none' as const,
    application_type: 'web' as const,
    grant_types: ['authorization_code'],
    response_types: ['code' as const],
    redirect_uris: [`${origin}/${app}/`],
    post_logout_redirect_uris: [`${origin}/${app}/`],
    id_token_signed_response_alg: 'EdDSA' as const,
  });

  const configuration: Configuration = {
    clients: [pageClient('console'), pageClient('portal')],
    adapter: demoProviderStore(),
    // The pages are on the provider's own origin; no other origin calls it from a browser.
    clientBasedCORS: (_ctx, requestOrigin) => requestOrigin === origin,
    jwks: { keys: [{ ...privateJwk, alg: 'EdDSA', use: 'sig' } as never] },
    // Per run: a restart signs everyone out of the provider, which a demo can afford.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    responseTypes: ['code'],
    scopes: ['openid'],
    claims: { openid: ['sub'] },
    ttl: { AccessToken: accessTokenTtlSeconds, AuthorizationCode: 60, IdToken: accessTokenTtlSeconds, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    enabledJWA: { idTokenSigningAlgValues: ['EdDSA'] },
    features: {
      devInteractions: { enabled: false },
      // Code flow only: no token introspection, revocation or dynamic registration to attack.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new oidcErrors.InvalidTarget();
          return {
            scope: ALL_SCOPES.join(' '), audience: API_AUDIENCE, accessTokenTTL: accessTokenTtlSeconds,
            accessTokenFormat: 'jwt', jwt: { sign: { alg: 'EdDSA' } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          const nonce = randomBytes(16).toString('base64');
          setPageHeaders((name, value) => ctx.set(name, value), nonce);
          ctx.type = 'html';
          ctx.body = logoutPage(form, nonce);
        },
        postLogoutSuccessSource: (ctx) => {
          setPageHeaders((name, value) => ctx.set(name, value));
          ctx.type = 'html';
          ctx.body = messagePage('Ви вийшли', 'Ви вийшли з Вікна. Сторінку можна закрити.');
        },
      },
    },
    findAccount: (_ctx, sub) => {
      const account = bySub.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub }) } : undefined;
    },
    // The pages are first-party: their grant is made here instead of asking for consent.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      const existing = grantId ? await provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid');
      const has = scopesOf(bySub.get(session.accountId));
      for (const indicator of Object.keys(ctx.oidc.resourceServers ?? {})) {
        if (has.length > 0) grant.addResourceScope(indicator, has.join(' '));
        const others = ALL_SCOPES.filter((s) => !has.includes(s));
        if (others.length > 0) grant.rejectResourceScope(indicator, others.join(' '));
      }
      await grant.save();
      return grant;
    },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !('accountId' in token)) return undefined;
      const account = bySub.get(token.accountId as string);
      if (!account) return undefined;
      // sub is the account id and scope is OAuth's own: only the rest of the principal's claims.
      const { sub: _sub, scope: _scope, ...rest } = claimsFromPrincipal(account.principal);
      return rest as Record<string, string>;
    },
    interactions: { url: (_ctx, interaction) => `${DEMO_PROVIDER_PATH}/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      setPageHeaders((name, value) => ctx.set(name, value));
      ctx.type = 'html';
      ctx.body = messagePage('Вхід не вдався', `Постачальник входу відмовив: ${escapeHtml(String(out.error))}. Поверніться на сторінку й натисніть «Увійти» ще раз.`);
    },
  };
  const provider = new Provider(issuer, configuration);

  const router = express.Router();
  const showPage = (res: Response, status: number, html: string) => {
    setPageHeaders((name, value) => res.setHeader(name, value));
    res.status(status).type('html').send(html);
  };
  const sessionGone = (res: Response) => showPage(res, 400, messagePage('Сеанс входу застарів', 'Поверніться на сторінку Вікна й натисніть «Увійти» ще раз.'));

  router.get('/interaction/:uid', async (req: Request, res: Response) => {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return sessionGone(res);
    }
    if (details.uid !== req.params.uid) return sessionGone(res);
    if (details.prompt.name === 'login') return showPage(res, 200, loginPage({ uid: details.uid }));
    // Consent never needs a person for these pages: loadExistingGrant has made the grant.
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
  });

  router.post('/interaction/:uid/login', express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }), async (req: Request, res: Response) => {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return sessionGone(res);
    }
    if (details.uid !== req.params.uid || details.prompt.name !== 'login') return sessionGone(res);
    const address = req.socket.remoteAddress ?? 'unknown';
    const wait = limiter.retryAfter(address);
    if (wait > 0) {
      res.setHeader('retry-after', String(wait));
      return showPage(res, 429, loginPage({ uid: details.uid, error: `Забагато невдалих спроб входу. Спробуйте знову за ${wait} с.` }));
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const login = typeof body.login === 'string' ? body.login.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const account = byLogin.get(login);
    if (!checkPassword(account, password)) {
      limiter.fail(address);
      return showPage(res, 401, loginPage({ uid: details.uid, login, error: WRONG_CREDENTIALS }));
    }
    await provider.interactionFinished(req, res, { login: { accountId: claimsFromPrincipal(account!.principal).sub } }, { mergeWithLastSubmission: false });
  });

  router.use(provider.callback());

  return {
    issuer,
    router,
    verifierOptions: { issuer, audience: API_AUDIENCE, publicKey: JSON.stringify(publicJwk), algorithms: ['EdDSA'] },
  };
}

/** The provider's own pages: nothing from elsewhere, not framed, not cached, inline style only. */
function setPageHeaders(set: (name: string, value: string) => void, scriptNonce?: string): void {
  set('cache-control', 'no-store');
  set('x-frame-options', 'DENY');
  set('referrer-policy', 'no-referrer');
  set('content-security-policy', [
    "default-src 'none'", "style-src 'unsafe-inline'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
    ...(scriptNonce ? [`script-src 'nonce-${scriptNonce}'`] : []),
  ].join('; '));
}
