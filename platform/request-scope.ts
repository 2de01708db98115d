import type { RequestHandler } from 'express';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Metrics } from './metrics.js';
import { currentRequest, REQUEST_ID_HEADER, requestIdFrom, runInRequest, type RequestScope } from './request-context.js';
import { otelContext, startServerSpan } from './tracing.js';

/**
 * What every service does for each request on its GraphQL endpoint, before anything else:
 * - its id: the caller's well-formed `x-request-id`, else a new one; sent back in `x-request-id`,
 *   kept in `res.locals.requestId` and on every log line written while the request runs;
 * - a server span, continuing the caller's trace (`traceparent`);
 * - once the response is gone, vikno_graphql_requests_total and the latency histogram, by
 *   operation and outcome (OK, the first error's code, or what the HTTP status says for a
 *   request refused before GraphQL ran: UNAUTHENTICATED, RATE_LIMITED, UNAVAILABLE …).
 */
export interface RequestScopeOptions {
  /** gateway, or the subgraph's name. */
  service: string;
  metrics?: Metrics;
  /**
   * Carry the scope through everything the request runs (AsyncLocalStorage; default), or only in
   * `res.locals.requestScope` for the service to pass on itself: the gateway does, as the promise
   * hooks that AsyncLocalStorage needs on Node 20 cost it more than anything else it adds per look-up.
   */
  asyncScope?: boolean;
}

const STATUS_OUTCOMES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED', 503: 'UNAVAILABLE',
};

/** How the request ended: read once the response has been sent (or the client has gone). */
function outcomeOf(scope: RequestScope, status: number, finished: boolean): string {
  if (!finished) return 'ABORTED';
  if (scope.graphql) {
    const code = scope.graphql.result.errors?.[0]?.extensions?.code;
    return scope.graphql.result.errors?.length ? (typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR') : 'OK';
  }
  return status < 400 ? 'OK' : STATUS_OUTCOMES[status] ?? `HTTP_${status}`;
}

export function requestScope(options: RequestScopeOptions): RequestHandler {
  const { service, metrics, asyncScope = true } = options;
  return (req, res, next) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    // The path the service is mounted on, never the URL: a GET's query string holds the query and its variables.
    const { span, context } = startServerSpan(`${service} request`, req.headers, {
      'vikno.service': service, 'http.request.method': req.method, 'url.path': req.baseUrl,
    });
    const scope: RequestScope = { requestId, trace: context };
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.locals.requestId = requestId;
    res.locals.requestScope = scope;
    const started = performance.now();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const outcome = outcomeOf(scope, res.statusCode, res.writableFinished);
      const operation = metrics ? metrics.operationLabel(scope.graphql?.operation) : scope.graphql?.operation ?? 'anonymous';
      metrics?.request(service, scope.graphql?.operation, outcome, (performance.now() - started) / 1000);
      span.setAttributes({ 'http.response.status_code': res.statusCode, 'graphql.operation.name': operation, 'vikno.outcome': outcome });
      if (outcome !== 'OK') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    // otelContext.with makes the server span the active one when spans are made, and is a plain call otherwise.
    if (asyncScope) runInRequest(scope, () => otelContext.with(context, next));
    else otelContext.with(context, next);
  };
}

/** Tells the request's scope which operation ran and what was answered (the metrics and the span read it at the end). */
export const requestOutcomePlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ operationName, response, contextValue }) {
        // The gateway hands its scope in its context (asyncScope: false); the subgraphs carry theirs.
        const scope = (contextValue as { requestScope?: RequestScope }).requestScope ?? currentRequest();
        // The result object itself: plugins that replace the answer (the trail's) change it in place, later.
        if (scope && response.body.kind === 'single') scope.graphql = { operation: operationName ?? null, result: response.body.singleResult };
      },
    };
  },
};
