import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Context } from '@opentelemetry/api';

/**
 * The request being served, carried through everything it runs (resolvers, loaders, partner calls)
 * without being passed along: the logger stamps its id on every line (platform/logger.ts), and
 * the metrics read how the request ended. One per request, in every process.
 */
export interface RequestScope {
  readonly requestId: string;
  /** The trace the request is part of (the caller's `traceparent`, or its server span): passed on to subgraphs and partners. */
  readonly trace: Context;
  /** Set by the GraphQL layer once the operation is known and its answer is ready (request-scope.ts). */
  graphql?: {
    operation: string | null;
    /** The answer as sent: read when the response has gone, after every plugin has had its say. */
    result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> };
  };
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** A client's own id is kept when it is plain text of 8 to 64 characters… */
const WELL_FORMED = /^[A-Za-z0-9._-]{8,64}$/;
/** …and holds no run of ten digits: a tax id, a phone or a card number must not end up on every log line. */
const DIGIT_RUN = /\d{10}/;

/** The id of a request: the client's `x-request-id` when well formed, a new UUID otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED.test(header) && !DIGIT_RUN.test(header) ? header : randomUUID();
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The request this code runs for, if any (start-up and background work have none). */
export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

/**
 * Runs `fn`, and everything it starts, as part of the request `scope`. On Node 20 the first run
 * turns on promise hooks for the whole process (every promise then costs more): the gateway, whose
 * look-ups make thousands of promises, passes its scope explicitly instead (request-scope.ts).
 */
export function runInRequest<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}
