import type { RequestHandler } from 'express';
import type { Logger } from '../adapters/core/logger.js';
import { isViknoError } from '../domain/errors.js';
import { bearerToken, type TokenVerifier } from '../identity/verify.js';
import type { Principal } from '../identity/principal.js';
import { personLookups } from './lookups.js';
import { purposeOf, trailEntries, type TrailEntry, type TrailWriter } from './access.js';

export interface AuthenticatedLocals {
  principal: Principal;
  purpose?: string;
}

/**
 * Every GraphQL request carries a bearer token the configured issuer signed. A missing, expired,
 * forged or `alg: none` token is refused with UNAUTHENTICATED (HTTP 401) before any subgraph is
 * asked; if the request named a person, the refusal is recorded in the access trail.
 */
export function authenticate(verifier: TokenVerifier, trail: TrailWriter | undefined, log: Logger): RequestHandler {
  const record = async (entries: readonly TrailEntry[]) => {
    try {
      for (const entry of entries) await trail?.append(entry);
    } catch (trailError) {
      log.error({ err: trailError }, 'the access trail could not record a refusal');
    }
  };
  return async (req, res, next) => {
    // Apollo's landing page (a browser's GET) needs no token; operations do.
    if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') return next();
    // A batch of operations in one request is refused whoever sends it; each person it names is recorded.
    if (Array.isArray(req.body)) {
      const lookups = req.body.map((op: { query?: unknown; variables?: unknown }) => personLookups(
        typeof op?.query === 'string' ? op.query : undefined, (op?.variables && typeof op.variables === 'object' ? op.variables : {}) as Record<string, unknown>));
      const subjects = [...new Set(lookups.flatMap((l) => l.subjects))];
      const principal = await verifier.verify(bearerToken(req.headers.authorization)).catch(() => undefined);
      await record(trailEntries(principal, purposeOf(req.headers['x-purpose']), { operationName: null, subjects, domains: [] }, [], { outcome: 'REFUSED', refusal: 'BAD_REQUEST' }));
      return void res.status(400).json({ errors: [{ message: 'a request may carry one operation, not a batch', extensions: { code: 'BAD_REQUEST' } }] });
    }
    try {
      const principal = await verifier.verify(bearerToken(req.headers.authorization));
      res.locals.auth = { principal, purpose: purposeOf(req.headers['x-purpose']) } satisfies AuthenticatedLocals;
      return next();
    } catch (error) {
      if (!isViknoError(error)) return next(error);
      const body = (req.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
      const lookups = personLookups(typeof body.query === 'string' ? body.query : undefined,
        (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>,
        typeof body.operationName === 'string' ? body.operationName : null);
      await record(trailEntries(undefined, purposeOf(req.headers['x-purpose']), lookups, [], { outcome: 'REFUSED', refusal: error.code }));
      log.info({ errorCode: error.code, reason: error.message }, 'request refused: not authenticated');
      res.status(401).json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
    }
  };
}
