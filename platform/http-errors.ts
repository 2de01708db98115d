import type { ErrorRequestHandler } from 'express';
import type { Logger } from './logger.js';

/**
 * Errors raised before GraphQL sees a request (a body that is not JSON, too large, wrongly
 * encoded) answered as GraphQL-shaped JSON instead of Express's HTML page with a stack trace.
 * The body-parser error carries the raw body, so only its type and status are logged.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message =
      error?.type === 'entity.parse.failed' ? 'the request body is not valid JSON'
        : error?.type === 'entity.too.large' ? 'the request body is too large'
          : status < 500 ? 'the request cannot be read' : 'Internal server error';
    const code = status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    // The id explicitly: the gateway carries no request scope in AsyncLocalStorage (request-scope.ts).
    const { requestId } = res.locals;
    if (status >= 500) log.error({ requestId, errorType: error?.type, errName: error?.name }, 'request failed before GraphQL');
    else log.info({ requestId, status, errorType: error?.type }, 'request refused before GraphQL');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
