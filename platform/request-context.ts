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

/**
 * One AsyncLocalStorage for everything carried through the work a request starts, each value in a
 * slot of its own: on Node 20 every storage adds its own step to every promise the process makes.
 */
const storage = new AsyncLocalStorage<Readonly<Record<symbol, unknown>>>();

export interface AsyncSlot<T> {
  /** The value the running code was started under, if any. */
  get(): T | undefined;
  /** Runs `fn`, and everything it starts, with `value` in this slot (and the other slots as they are now, unless `alone`). */
  run<R>(value: T, fn: () => R, alone?: boolean): R;
}

/** A value carried through asynchronous work without being passed along (the request's scope; a partner operation's deadline). */
export function asyncSlot<T>(description: string): AsyncSlot<T> {
  const key = Symbol(description);
  return {
    get: () => storage.getStore()?.[key] as T | undefined,
    run: (value, fn, alone = false) => storage.run(alone ? { [key]: value } : { ...storage.getStore(), [key]: value }, fn),
  };
}

const requestSlot = asyncSlot<RequestScope>('request scope');

/** The request this code runs for, if any (start-up and background work have none). */
export function currentRequest(): RequestScope | undefined {
  return requestSlot.get();
}

/**
 * Runs `fn`, and everything it starts, as part of the request `scope`. On Node 20 the first run
 * turns on promise hooks for the whole process (every promise then costs more): the gateway, whose
 * look-ups make thousands of promises, passes its scope explicitly instead (request-scope.ts).
 */
export function runInRequest<T>(scope: RequestScope, fn: () => T): T {
  // A request starts from nothing: no value of the work that happened to accept its connection.
  return requestSlot.run(scope, fn, true);
}
