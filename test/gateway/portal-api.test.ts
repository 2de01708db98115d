import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readManifest } from '../../docs/operations/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../gateway/create-gateway.js';
import { CORS_ALLOWED_HEADERS, corsOriginsFromEnv } from '../../gateway/cors.js';
import { ConfigError } from '../../platform/env.js';
import { GRAPHIQL_CSP } from '../../gateway/graphiql.js';
import { createTokenVerifier } from '../../identity/verify.js';
import { createAssertionKey } from '../../identity/assertion.js';
import { loadDevIssuer } from '../../identity/dev-issuer.js';
import { readCheckedInSupergraph } from '../../schema/index.js';
import { listen, type RunningServer } from '../../platform/serve.js';
import { chromium } from 'playwright-core';
import { callCounts, captureLog, resetCallCounts, startTestStack, type TestStack } from '../helpers/stack.js';
import { itWithProgram } from '../helpers/ci-provided.js';

/**
 * The API as the citizen portal's team uses it: a browser on another origin (CORS), registered
 * operations sent by id with POST or GET, GET answers a browser may keep briefly; and GraphiQL for
 * development, served from the gateway itself.
 */

const PORTAL = 'https://portal.example.test';
const manifest = readManifest();
const idOf = (name: string) => manifest.operations.find((o) => o.name === name)!.id;
const TAX_ID = '3111901220';

const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let stack: TestStack;
/** A page of the portal's own, on an origin of its own (allowed as http://127.0.0.1:<port>; http://localhost:<port> is not). */
let portalPage: RunningServer;
beforeAll(async () => {
  portalPage = await listen((_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Портал</title>'); });
  // A generous answer budget: these tests are about HTTP, and a loaded machine must not turn an answer partial.
  stack = await startTestStack({ corsOrigins: [PORTAL, portalPage.url], answerBudgetMs: 20_000 });
});
afterAll(async () => { await stack.stop(); await portalPage.close(); });

/** The headers a test looks at, by name (null when absent). */
function pick(response: Response, names: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((n) => [n, response.headers.get(n)]));
}
const CORS_HEADERS = [
  'access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age',
  'access-control-expose-headers', 'access-control-allow-credentials', 'vary',
] as const;
const noCors = { 'access-control-allow-origin': null, 'access-control-allow-methods': null, 'access-control-allow-headers': null, 'access-control-max-age': null, 'access-control-expose-headers': null, 'access-control-allow-credentials': null };

describe('a portal on another origin', () => {
  const get = async (params: Record<string, string>, headers: Record<string, string>) => {
    const response = await fetch(`${stack.gatewayUrl}?${new URLSearchParams(params)}`, { headers: { origin: PORTAL, ...headers } });
    return { status: response.status, headers: pick(response, ['cache-control', 'vary', 'access-control-allow-origin', 'access-control-expose-headers', 'allow']), body: await response.json() };
  };
  const citizen = async () => ({ authorization: `Bearer ${await stack.token({ kind: 'citizen', taxId: TAX_ID })}` });

  it('has its preflight answered without a token: its origin, GET and POST, the headers it may send, for ten minutes', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'OPTIONS',
      headers: { origin: PORTAL, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,apollo-require-preflight,x-purpose' },
    });

    expect({ status: response.status, headers: pick(response, [...CORS_HEADERS, 'x-request-id']), body: await response.text() }).toEqual({
      status: 204,
      headers: {
        'access-control-allow-origin': PORTAL,
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'authorization,content-type,x-purpose,x-request-id,apollographql-client-name,apollographql-client-version,apollo-require-preflight,x-apollo-operation-name',
        'access-control-max-age': '600',
        'access-control-expose-headers': 'x-request-id,retry-after',
        'access-control-allow-credentials': null,
        vary: 'Origin',
        'x-request-id': null,
      },
      body: '',
    });
    expect(CORS_ALLOWED_HEADERS).toContain('authorization');
  });

  it('runs a registered query by GET: the same answer as by POST, kept privately for 30 s, varying by origin, token and purpose', async () => {
    const headers = { ...(await citizen()), 'apollo-require-preflight': 'true' };
    const byGet = await get({ documentId: `sha256:${idOf('MyOverview')}` }, headers);
    const byPost = await fetch(stack.gatewayUrl, {
      method: 'POST', headers: { origin: PORTAL, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ documentId: idOf('MyOverview') }),
    });

    expect(byGet).toEqual({
      status: 200,
      headers: {
        'cache-control': 'private, max-age=30', vary: 'Origin, Authorization, X-Purpose',
        'access-control-allow-origin': PORTAL, 'access-control-expose-headers': 'x-request-id,retry-after', allow: null,
      },
      body: { data: { me: expect.objectContaining({ taxId: TAX_ID }) } },
    });
    // The second of the two reads the partners' records from the cache: the same answer but for its freshness.
    const fresh = (body: unknown) => JSON.parse(JSON.stringify(body).replaceAll('"freshness":"CACHED"', '"freshness":"LIVE"'));
    expect({ status: byPost.status, cache: byPost.headers.get('cache-control'), body: fresh(await byPost.json()) }).toEqual({ status: 200, cache: 'no-store', body: fresh(byGet.body) });
  });

  it('runs a registered query by GET in Apollo\'s persisted-query shape, with variables', async () => {
    const answer = await get({
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: idOf('MyAccessLog') } }), variables: JSON.stringify({ first: 1 }),
    }, { ...(await citizen()), 'apollo-require-preflight': 'true' });

    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('private, max-age=30');
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.me.accessLog.edges.length).toBeLessThanOrEqual(1);
  });

  it('does not let a browser keep an answer with errors', async () => {
    const answer = await get({ documentId: idOf('MyAccessLog'), variables: JSON.stringify({ after: 'not a cursor' }) }, { ...(await citizen()), 'apollo-require-preflight': 'true' });

    expect([answer.status, answer.headers['cache-control'], answer.body.errors?.[0]?.extensions?.code]).toEqual([200, 'no-store', 'BAD_USER_INPUT']);
  });

  it('cannot run a mutation by GET: 405, use POST, and nothing is issued', async () => {
    resetCallCounts(stack);
    const answer = await get({ documentId: idOf('IssueParcelExtract'), variables: JSON.stringify({ taxId: TAX_ID, cadastralNumber: '1210400000:01:001:0001', purpose: 'Оформлення субсидії' }) },
      { ...(await citizen()), 'apollo-require-preflight': 'true' });

    expect(answer).toEqual({
      status: 405,
      headers: { 'cache-control': 'no-store', vary: 'Origin', 'access-control-allow-origin': PORTAL, 'access-control-expose-headers': 'x-request-id,retry-after', allow: 'POST' },
      body: { errors: [{ message: 'IssueParcelExtract is a mutation: send it with POST (GET runs queries only)', extensions: { code: 'BAD_REQUEST' } }] },
    });
    expect(Object.values(callCounts(stack)).every((n) => n === 0)).toBe(true);
  });

  it('gets 401 for a GET without a token before its id or variables are looked at, and can read it (CORS headers on the refusal)', async () => {
    const unauthenticated = {
      status: 401,
      headers: { 'cache-control': null, vary: 'Origin', 'access-control-allow-origin': PORTAL, 'access-control-expose-headers': 'x-request-id,retry-after', allow: null },
      body: { errors: [{ message: 'a bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] },
    };

    expect(await get({ documentId: idOf('MyOverview') }, {})).toEqual(unauthenticated);
    expect(await get({ documentId: 'not-an-id', variables: '{broken' }, {})).toEqual(unauthenticated);
  });

  it('gets PERSISTED_QUERY_NOT_FOUND for an id the gateway does not know', async () => {
    const answer = await get({ documentId: `sha256:${'0'.repeat(64)}` }, { ...(await citizen()), 'apollo-require-preflight': 'true' });

    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: { errors: [{ message: 'unknown operation id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
  });

  it('has Apollo\'s CSRF prevention hold for GET: a token is not enough, the request must be one a browser preflights (apollo-require-preflight)', async () => {
    // What a page could make a browser send cross-site with no preflight has no token at all (401 above);
    // with a token but without a header that forces a preflight, Apollo still refuses it.
    const answer = await get({ documentId: idOf('MyOverview') }, await citizen());

    expect(answer.status).toBe(400);
    expect(answer.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(answer.body.errors[0].message).toContain('This operation has been blocked as a potential Cross-Site Request Forgery (CSRF)');
    expect(answer.body.errors[0].message).toContain('apollo-require-preflight');
  });
});

describe('a portal page in a browser', () => {
  itWithProgram('chromium', ['--version'])('runs registered operations by id with GET and POST, reads refusals, and is kept out on an origin not allowed', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: BROWSER_ARGS });
    try {
      const page = await browser.newPage();
      const call = (origin: string, method: 'GET' | 'POST', token: string | undefined, id: string) => page.evaluate(async ({ gateway, method, token, id }) => {
        const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        try {
          const response = method === 'GET'
            ? await fetch(`${gateway}?documentId=sha256:${id}`, { headers: { ...auth, 'apollo-require-preflight': 'true' } })
            : await fetch(gateway, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ documentId: id }) });
          const body = await response.json();
          return { status: response.status, cache: response.headers.get('cache-control'), requestId: response.headers.get('x-request-id') !== null, data: Object.keys(body.data ?? {}), errors: (body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code) };
        } catch (error) {
          return { failed: String(error) };
        }
      }, { gateway: stack.gatewayUrl, method, token, id }).then((result) => ({ origin, method, ...result }));
      const token = await stack.token({ kind: 'citizen', taxId: TAX_ID });
      // The citizen's own access log: personal, and read from the trail alone (no partner to be slow).
      const id = idOf('MyAccessLog');

      await page.goto(portalPage.url);
      const allowed = [await call('allowed', 'GET', token, id), await call('allowed', 'POST', token, id), await call('allowed', 'GET', undefined, id)];
      await page.goto(portalPage.url.replace('127.0.0.1', 'localhost'));
      const other = await call('other', 'POST', token, id);

      expect([...allowed, other]).toEqual([
        { origin: 'allowed', method: 'GET', status: 200, cache: 'private, max-age=30', requestId: true, data: ['me'], errors: [] },
        { origin: 'allowed', method: 'POST', status: 200, cache: 'no-store', requestId: true, data: ['me'], errors: [] },
        { origin: 'allowed', method: 'GET', status: 401, cache: null, requestId: true, data: [], errors: ['UNAUTHENTICATED'] },
        { origin: 'other', method: 'POST', failed: 'TypeError: Failed to fetch' },
      ]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('an origin that is not configured', () => {
  it('gets its preflight answered with no allow header, so its browser refuses the request', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'OPTIONS', headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });

    expect({ status: response.status, headers: pick(response, [...CORS_HEADERS, 'allow']) }).toEqual({ status: 204, headers: { ...noCors, vary: 'Origin', allow: 'GET, POST, OPTIONS' } });
  });

  it('gets no allow header on an answer either', async () => {
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { origin: 'https://portal.example.test.evil.example', 'content-type': 'application/json' }, body: '{}' });

    expect({ status: response.status, headers: pick(response, CORS_HEADERS) }).toEqual({ status: 401, headers: { ...noCors, vary: 'Origin' } });
  });
});

describe('CORS_ORIGINS', () => {
  const read = (value: string | undefined, env: Record<string, string> = {}) => {
    try {
      return corsOriginsFromEnv({ ...env, CORS_ORIGINS: value });
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  };

  it('is a list of exact origins, none when unset or empty', () => {
    expect(read('https://portal.example.gov.ua, http://localhost:5173')).toEqual(['https://portal.example.gov.ua', 'http://localhost:5173']);
    expect(read('https://portal.example.gov.ua', { NODE_ENV: 'production' })).toEqual(['https://portal.example.gov.ua']);
    expect([read(undefined), read(''), read('  ')]).toEqual([[], [], []]);
  });

  it('stops the start with a ConfigError naming the entry and what is wrong with it', () => {
    expect(read('*')).toBe('ConfigError: CORS_ORIGINS: "*" is refused: list the origins allowed to call the API exactly, e.g. https://portal.example.gov.ua');
    expect(read('https://portal.example.gov.ua/')).toBe('ConfigError: CORS_ORIGINS: "https://portal.example.gov.ua/" is not an origin as a browser sends it (no path, no trailing slash, lower-case host, no default port): "https://portal.example.gov.ua"?');
    expect(read('https://Portal.example.gov.ua:443')).toBe('ConfigError: CORS_ORIGINS: "https://Portal.example.gov.ua:443" is not an origin as a browser sends it (no path, no trailing slash, lower-case host, no default port): "https://portal.example.gov.ua"?');
    expect(read('portal.example.gov.ua')).toBe('ConfigError: CORS_ORIGINS: "portal.example.gov.ua" is not an origin (scheme://host[:port], e.g. https://portal.example.gov.ua)');
    expect(read('null')).toBe('ConfigError: CORS_ORIGINS: "null" is not an origin (scheme://host[:port], e.g. https://portal.example.gov.ua)');
    expect(read('file:///portal')).toBe('ConfigError: CORS_ORIGINS: "file:///portal" is not an http or https origin (e.g. https://portal.example.gov.ua)');
    expect(read('https://a.example,,https://b.example')).toBe('ConfigError: CORS_ORIGINS: entry 2 is empty (separate origins with single commas)');
    expect(read('https://portal.example.gov.ua,http://portal.example.gov.ua', { NODE_ENV: 'production' }))
      .toBe('ConfigError: CORS_ORIGINS: "http://portal.example.gov.ua" is refused in production (NODE_ENV=production): only https origins');
    expect(() => corsOriginsFromEnv({ CORS_ORIGINS: '*' })).toThrow(ConfigError);
  });
});

/** A gateway alone, with no subgraph running: enough for what is answered before any subgraph is asked. */
async function startBareGateway(production: boolean, more: Partial<GatewayOptions> = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vikno-portal-api-'));
  const issuer = await loadDevIssuer({ dir, env: {} });
  const gateway: Gateway = await createGateway({
    supergraphSdl: readCheckedInSupergraph(), log: captureLog().logger, verifier: createTokenVerifier(issuer.verifierOptions),
    assertionKey: createAssertionKey(), trail: { appendMany: async () => { throw new Error('no look-up is expected here'); } },
    manifest, production, ...more,
  });
  const server: RunningServer = await listen(gateway.app);
  return { url: server.url, stop: async () => { await server.close(); await gateway.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

describe('a refusal for too many failed sign-ins', () => {
  let bare: Awaited<ReturnType<typeof startBareGateway>>;
  beforeAll(async () => { bare = await startBareGateway(false, { corsOrigins: [PORTAL], addressLimit: { failures: 1 } }); });
  afterAll(() => bare.stop());

  it('carries the CORS headers, so the portal can read it and its Retry-After', async () => {
    const send = () => fetch(`${bare.url}/graphql`, { method: 'POST', headers: { origin: PORTAL, 'content-type': 'application/json', authorization: 'Bearer not.a.token' }, body: '{}' });
    const first = await send();
    const second = await send();

    expect([first.status, second.status]).toEqual([401, 429]);
    expect(pick(second, ['access-control-allow-origin', 'access-control-expose-headers', 'vary', 'retry-after'])).toEqual({
      'access-control-allow-origin': PORTAL, 'access-control-expose-headers': 'x-request-id,retry-after', vary: 'Origin', 'retry-after': '60',
    });
  });
});

describe('without CORS_ORIGINS', () => {
  let bare: Awaited<ReturnType<typeof startBareGateway>>;
  beforeAll(async () => { bare = await startBareGateway(false); });
  afterAll(() => bare.stop());

  it('sends no CORS header at all, to a preflight or an answer', async () => {
    const preflight = await fetch(`${bare.url}/graphql`, { method: 'OPTIONS', headers: { origin: PORTAL, 'access-control-request-method': 'GET' } });
    const answer = await fetch(`${bare.url}/graphql`, { method: 'POST', headers: { origin: PORTAL, 'content-type': 'application/json' }, body: '{}' });

    expect([preflight.status, pick(preflight, CORS_HEADERS), answer.status, pick(answer, CORS_HEADERS)]).toEqual([204, { ...noCors, vary: null }, 401, { ...noCors, vary: null }]);
  });
});

describe('GraphiQL', () => {
  let development: Awaited<ReturnType<typeof startBareGateway>>;
  let production: Awaited<ReturnType<typeof startBareGateway>>;
  beforeAll(async () => { [development, production] = await Promise.all([startBareGateway(false), startBareGateway(true)]); });
  afterAll(async () => { await development.stop(); await production.stop(); });

  it('is served in development from the gateway itself: no script, style or request to another host, and a policy that forbids them', async () => {
    const response = await fetch(`${development.url}/graphiql`);
    const html = await response.text();

    expect({ status: response.status, type: response.headers.get('content-type'), csp: response.headers.get('content-security-policy') })
      .toEqual({ status: 200, type: 'text/html; charset=utf-8', csp: GRAPHIQL_CSP });
    expect(GRAPHIQL_CSP).toBe("default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(html).toContain('<title>Vikno GraphiQL</title>');
    expect(html).toContain('"endpoint":"/graphql"');
    // Nothing to load from elsewhere: no external script, stylesheet, font, import or known CDN.
    expect(html.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi) ?? []).toEqual([]);
    expect(html.match(/(?:url\(|@import\s|importScripts\()\s*["']?(?:https?:)?\/\//gi) ?? []).toEqual([]);
    expect(html.match(/unpkg\.com|jsdelivr|cdnjs|googleapis|gstatic|apollographql\.com/gi) ?? []).toEqual([]);
  });

  itWithProgram('chromium', ['--version'])('works in a browser with no request to any other host: the IDE shows and asks the gateway for the schema', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: BROWSER_ARGS });
    try {
      const context = await browser.newContext();
      const requested: string[] = [];
      const problems: string[] = [];
      // Every request the page or its workers make is seen here; only the gateway's own are let through.
      await context.route('**/*', (route) => {
        const url = route.request().url();
        requested.push(url);
        return new URL(url).origin === development.url ? route.continue() : route.abort();
      });
      const page = await context.newPage();
      page.on('console', (message) => { if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text()); });
      page.on('pageerror', (error) => problems.push(error.message));
      const schemaAsked = page.waitForRequest((request) => request.url() === `${development.url}/graphql` && request.method() === 'POST', { timeout: 60_000 });
      await page.goto(`${development.url}/graphiql`);
      await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
      await schemaAsked;

      expect({ title: await page.title(), problems, hosts: [...new Set(requested.map((u) => new URL(u).origin))] })
        .toEqual({ title: 'Vikno GraphiQL', problems: [], hosts: [development.url] });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('is the only IDE: a browser opening a subgraph gets no landing page (Apollo\'s would load from its CDN)', async () => {
    const response = await fetch(stack.subgraphUrls.centre, { headers: { accept: 'text/html' } });

    expect([response.status >= 400, response.headers.get('content-type')]).toEqual([true, 'application/json; charset=utf-8']);
  });

  it('is where a browser opening /graphql is sent in development', async () => {
    const response = await fetch(`${development.url}/graphql`, { headers: { accept: 'text/html' }, redirect: 'manual' });

    expect([response.status, response.headers.get('location')]).toEqual([302, 'graphiql']);
  });

  it('is not there in production, and a browser opening /graphql there needs a token like anyone', async () => {
    const page = await fetch(`${production.url}/graphiql`);
    const browser = await fetch(`${production.url}/graphql`, { headers: { accept: 'text/html' }, redirect: 'manual' });

    expect([page.status, browser.status, await browser.json()]).toEqual([404, 401, { errors: [{ message: 'a bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] }]);
  });
});
