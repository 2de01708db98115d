import cors from 'cors';
import type { RequestHandler } from 'express';
import { ConfigError } from '../platform/env.js';

/**
 * Cross-origin access to /graphql for the browsers of configured origins (CORS_ORIGINS), such as
 * the citizen portal's. Answered before authentication: a preflight carries no token, and a
 * refusal (401, 429, 503) must carry Access-Control-Allow-Origin for the portal to read it.
 */

/** What a portal may send: the token and purpose, the body's type, a request id, Apollo's client and CSRF headers. */
export const CORS_ALLOWED_HEADERS = [
  'authorization', 'content-type', 'x-purpose', 'x-request-id',
  'apollographql-client-name', 'apollographql-client-version', 'apollo-require-preflight', 'x-apollo-operation-name',
] as const;
/** What a portal may read of an answer besides the CORS-safelisted headers. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after'] as const;
/** How long a browser may keep a preflight's answer. */
export const CORS_MAX_AGE_SECONDS = 600;

const EXAMPLE = 'e.g. https://portal.example.gov.ua';

/**
 * CORS_ORIGINS: exact origins (scheme://host[:port]) separated by commas, as a browser sends them
 * in `Origin`. Unset or empty: none. `*` and `null` are refused, and in production every origin must
 * be https. A ConfigError names the entry and what is wrong with it.
 */
export function parseCorsOrigins(raw: string | undefined, production: boolean): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((part, i) => {
    const entry = part.trim();
    const bad = (why: string) => new ConfigError(`CORS_ORIGINS: "${entry}" ${why}`);
    if (entry === '') throw new ConfigError(`CORS_ORIGINS: entry ${i + 1} is empty (separate origins with single commas)`);
    if (entry === '*') throw bad(`is refused: list the origins allowed to call the API exactly, ${EXAMPLE}`);
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw bad(`is not an origin (scheme://host[:port], ${EXAMPLE})`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(`is not an http or https origin (${EXAMPLE})`);
    if (url.origin !== entry) throw bad(`is not an origin as a browser sends it (no path, no trailing slash, lower-case host, no default port): "${url.origin}"?`);
    if (production && url.protocol !== 'https:') throw bad('is refused in production (NODE_ENV=production): only https origins');
    return entry;
  });
}

/** CORS_ORIGINS from the environment (production when NODE_ENV=production). */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return parseCorsOrigins(env.CORS_ORIGINS, env.NODE_ENV === 'production');
}

/**
 * Middleware for /graphql, before anything else. A request from an allowed origin gets
 * Access-Control-Allow-Origin (that origin), Access-Control-Expose-Headers and Vary: Origin, and
 * its preflight is answered 204 with the methods (GET, POST), headers and max age. Any other
 * OPTIONS is answered 204 with no CORS header (a browser then refuses the cross-origin request),
 * never passed on to authentication. With no origins configured no CORS header is ever sent.
 */
export function corsMiddleware(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  const allowOrigin = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'POST'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
  const otherOptions: RequestHandler = (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    res.status(204).set('allow', 'GET, POST, OPTIONS').end();
  };
  if (allowed.size === 0) return otherOptions;
  return (req, res, next) => {
    // The answer depends on the Origin whenever origins are configured, allowed or not: caches must know.
    res.vary('Origin');
    allowOrigin(req, res, (error?: unknown) => (error ? next(error) : otherOptions(req, res, next)));
  };
}
