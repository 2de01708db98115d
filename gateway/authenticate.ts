import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../platform/logger.js';
import { isViknoError } from '../domain/errors.js';
import { bearerToken, type TokenVerifier } from '../identity/verify.js';
import type { Principal } from '../identity/principal.js';
import { parsePurposeHeader } from '../identity/text.js';
import type { AddressLimiter } from './address-limiter.js';
import type { GatewayMetrics } from './metrics.js';

export interface AuthenticatedLocals {
  principal: Principal;
  /** The staff member's stated purpose: validated text (identity/text.ts). */
  purpose?: string;
}

/** What the gateway needs of the security log (audit/security-log.ts): bounded, capped, rate-limited per address. */
export interface SecurityLogWriter {
  record(event: { address: string; reason: string; method: string; path: string }): Promise<boolean>;
}

export interface AuthenticateOptions {
  verifier: TokenVerifier;
  addresses: AddressLimiter;
  securityLog?: SecurityLogWriter;
  log: Logger;
  metrics?: GatewayMetrics;
}

/** Writes to the security log at once: more are dropped (counted), so a flood cannot queue work on the database. */
const MAX_SECURITY_WRITES = 16;

function refuse(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * Every GraphQL request carries a bearer token the configured issuer signed. Nothing else is done
 * for a caller before the token is verified: the body is not even read. A missing, expired, forged
 * or `alg: none` token is refused with UNAUTHENTICATED (HTTP 401) and goes to the security log (its
 * address, the reason, the method and path: nothing the caller chose). An address that keeps
 * failing is told to wait (429) without its token being looked at. The purpose header is then
 * checked as text: an invalid one is BAD_USER_INPUT naming the header.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  const { verifier, addresses, securityLog, log, metrics } = options;
  let writing = 0;
  const toSecurityLog = (req: Request, reason: string) => {
    metrics?.unauthenticatedRefusals.inc({ reason });
    if (!securityLog || writing >= MAX_SECURITY_WRITES) return;
    writing += 1;
    securityLog.record({ address: req.ip ?? 'unknown', reason, method: req.method, path: req.baseUrl || req.path })
      .catch((error) => log.error({ err: error, requestId: req.res?.locals.requestId }, 'the security log could not be written'))
      .finally(() => { writing -= 1; });
  };

  return async (req, res, next) => {
    const address = req.ip ?? 'unknown';
    const wait = addresses.retryAfter(address);
    if (wait > 0) {
      toSecurityLog(req, 'RATE_LIMITED');
      return refuse(res, 429, 'RATE_LIMITED', 'too many requests without a valid token from this address; try again later', { 'retry-after': String(wait) });
    }
    let principal: Principal;
    try {
      principal = await verifier.verify(bearerToken(req.headers.authorization));
    } catch (error) {
      if (!isViknoError(error)) return next(error);
      addresses.fail(address);
      toSecurityLog(req, error.code);
      log.info({ requestId: res.locals.requestId, errorCode: error.code, reason: error.message }, 'request refused: not authenticated');
      return refuse(res, 401, error.code, error.message, { 'www-authenticate': 'Bearer' });
    }
    try {
      res.locals.auth = { principal, purpose: parsePurposeHeader(req.headersDistinct['x-purpose']) } satisfies AuthenticatedLocals;
    } catch (error) {
      if (!isViknoError(error)) return next(error);
      return refuse(res, 400, error.code, error.message);
    }
    return next();
  };
}

/** A batch of operations in one request is refused: each operation is one look-up with one record. */
export const refuseBatches: RequestHandler = (req, res, next) => {
  if (Array.isArray(req.body)) return refuse(res, 400, 'BAD_REQUEST', 'a request may carry one operation, not a batch');
  return next();
};
