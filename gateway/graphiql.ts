import type { RequestHandler } from 'express';
import type { Logger } from '../platform/logger.js';

/**
 * GraphiQL for development, served whole from the gateway's own origin: GraphQL Yoga's pre-built
 * GraphiQL (@graphql-yoga/render-graphiql, a development dependency) inlines its script, styles and
 * editor workers in one page, so nothing is loaded from any other host, and the page's
 * Content-Security-Policy forbids the browser to try. Never mounted in production; its package is
 * imported on the first visit only, so production processes (and images built without development
 * dependencies) never load it.
 */

/** Only the page itself, its inline script and styles, its blob: workers and data: images; requests to this origin only. */
export const GRAPHIQL_CSP = [
  "default-src 'none'", "script-src 'unsafe-inline' blob:", "worker-src blob:", "style-src 'unsafe-inline'",
  "img-src data:", "font-src data:", "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

/** What GraphiQL shows first: how to sign in (a token from the development issuer) and a query that names no citizen. */
const DEFAULT_QUERY = `# Vikno's gateway (development only: there is no GraphiQL in production).
#
# Every request needs a token. Get one from the development issuer:
#   npm run --silent token -- staff              (or: npm run --silent token -- citizen 3111901220)
# and put it in Headers below, with a purpose for staff look-ups:
#   {"authorization": "Bearer <the token>", "x-purpose": "A-017"}
# Then re-fetch the schema (the refresh button of the Documentation pane) for completion and docs.

query Partners {
  partners { id name domain status }
}
`;

const DEFAULT_HEADERS = JSON.stringify({ authorization: 'Bearer <npm run --silent token -- staff>', 'x-purpose': 'A-017' }, null, 2);

/** The page, rendered once; undefined when the package is not installed (a production install). */
async function renderPage(endpoint: string, log: Logger): Promise<string | undefined> {
  try {
    const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
    return renderGraphiQL({
      title: 'Vikno GraphiQL', endpoint, defaultQuery: DEFAULT_QUERY, headers: DEFAULT_HEADERS, defaultEditorToolsVisibility: 'headers',
      // A token typed into the headers stays in the tab, never in the browser's storage.
      shouldPersistHeaders: false,
    });
  } catch (error) {
    log.warn({ err: error }, 'GraphiQL is not available: @graphql-yoga/render-graphiql is not installed (a development dependency)');
    return undefined;
  }
}

/** GET handler for the GraphiQL page; `endpoint` is the GraphQL path it sends requests to. */
export function graphiqlPage(options: { endpoint: string; log: Logger }): RequestHandler {
  let page: Promise<string | undefined> | undefined;
  return async (_req, res, next) => {
    page ??= renderPage(options.endpoint, options.log);
    const html = await page;
    if (html === undefined) return next();
    res.set({
      'content-type': 'text/html; charset=utf-8', 'content-security-policy': GRAPHIQL_CSP, 'cache-control': 'no-store',
      'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
    }).send(html);
  };
}
