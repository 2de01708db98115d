import { HTTPError, ParseError, RequestError } from 'got';
import { ViknoError } from '../../domain/errors.js';

/**
 * The one classification of a failed partner call. Retries, the circuit breaker, the partners'
 * status board and the stale fallback all read it (FAILURE_POLICY below), so a 429 cannot be
 * "transient" for one of them and "a failure" for another.
 *
 * - THROTTLED: the partner asked us to slow down (429). It is working: the caller waits as asked
 *   (the quota pauses), never trips the breaker and does not count against the partner's health.
 * - TRANSIENT: 5xx, a connection refused or reset, a call that ran out of time while in flight.
 * - BROKEN: the partner answered, but with garbage, by refusing our credentials (401/403) or with
 *   a status the adapter does not expect (a 3xx): asking again at once will not help.
 * - REFUSED: a client fault: the partner worked and said no (any 4xx but 401, 403, 408 and 429, or what an
 *   adapter's response classifier calls a client fault, a SOAP `Client` fault say, whatever its HTTP
 *   status): our question, not its health. Never retried, never counted against the partner.
 * - NOT_CALLED: the partner was never reached (its quota or the answer's budget ran out first,
 *   or its circuit is open): says nothing about it.
 */
export type FailureKind = 'THROTTLED' | 'TRANSIENT' | 'BROKEN' | 'REFUSED' | 'NOT_CALLED';

export interface FailurePolicy {
  /** An idempotent read may be tried again (when the wait fits in the deadline). */
  retry: boolean;
  /** Counts as one of the consecutive failures that open the partner's circuit. */
  breaker: boolean;
  /** How the partners' status board records it: a failure, a success, or not at all. */
  health: 'FAILURE' | 'OK' | 'NONE';
  /** A cached copy may stand in for the answer, marked STALE. */
  stale: boolean;
}

export const FAILURE_POLICY: Readonly<Record<FailureKind, FailurePolicy>> = {
  THROTTLED: { retry: true, breaker: false, health: 'NONE', stale: true },
  TRANSIENT: { retry: true, breaker: true, health: 'FAILURE', stale: true },
  BROKEN: { retry: false, breaker: true, health: 'FAILURE', stale: true },
  REFUSED: { retry: false, breaker: false, health: 'OK', stale: false },
  NOT_CALLED: { retry: false, breaker: false, health: 'NONE', stale: true },
};

/** A partner call that was never made: its quota or the answer's budget did not leave time for it. */
export interface NotCalled {
  readonly notCalled: true;
}

const isNotCalled = (error: unknown): boolean => (error as Partial<NotCalled> | null)?.notCalled === true;

/** The kinds a response classifier may declare (a call never made is the core's to say). */
export type DeclaredKind = Exclude<FailureKind, 'NOT_CALLED'>;

/** Failures whose kind was declared (by an adapter's response classifier), with the wait they ask for. */
const declared = new WeakMap<object, { kind: DeclaredKind; retryAfterMs?: number }>();

/**
 * Marks a catalogued error with its kind, whatever its code says: what the HTTP core does with a
 * failure an adapter's response classifier found (an error inside a 200, a SOAP fault on a 500).
 */
export function declareFailure<E extends ViknoError>(error: E, kind: DeclaredKind, retryAfterMs?: number): E {
  declared.set(error, { kind, retryAfterMs });
  return error;
}

/** The kind of an HTTP status that is not a success: the one place a status is judged. */
export function statusKind(status: number): FailureKind {
  if (status === 429) return 'THROTTLED';
  if (status >= 500 || status === 408) return 'TRANSIENT';
  // Our credentials refused: no question of ours is wrong, every call will fail the same way until
  // someone fixes the link, so it counts against the partner (the board must not show it UP).
  if (status === 401 || status === 403) return 'BROKEN';
  if (status >= 400) return 'REFUSED'; // a client fault: 400, 404, 409, 413, 422 …
  return 'BROKEN'; // a status the adapter does not expect (1xx, 3xx)
}

/** Classifies a failure, raw (got's errors) or catalogued (an adapter's ViknoError, or one mapped from got's). */
export function failureKind(error: unknown): FailureKind {
  if (isNotCalled(error)) return 'NOT_CALLED';
  const mark = typeof error === 'object' && error !== null ? declared.get(error) : undefined;
  if (mark) return mark.kind;
  const cause = error instanceof ViknoError && error.cause !== undefined ? error.cause : error;
  if (isNotCalled(cause)) return 'NOT_CALLED';
  const causeMark = typeof cause === 'object' && cause !== null ? declared.get(cause) : undefined;
  if (causeMark) return causeMark.kind;
  if (cause instanceof HTTPError) return statusKind(cause.response.statusCode);
  if (cause instanceof ParseError) return 'BROKEN';
  if (cause instanceof RequestError) return 'TRANSIENT';
  if (error instanceof ViknoError) {
    switch (error.code) {
      case 'PARTNER_UNAVAILABLE': case 'PARTNER_TIMEOUT': return 'TRANSIENT';
      case 'PARTNER_BAD_RESPONSE': return 'BROKEN';
      default: return 'REFUSED';
    }
  }
  // Anything else thrown while calling (a mapping bug, a socket error got did not wrap) is the call failing.
  return 'TRANSIENT';
}

/** Asking again later may succeed: what retries follow (and what a 429 is). */
export const isTransient = (error: unknown): boolean => FAILURE_POLICY[failureKind(error)].retry;
/** What opens the circuit. */
export const isBreakerFailure = (error: unknown): boolean => FAILURE_POLICY[failureKind(error)].breaker;
/** What a stale copy may bridge. */
export const isBridgedByStale = (error: unknown): boolean => FAILURE_POLICY[failureKind(error)].stale;

/** The wait a 429 (or a 503) asks for, in ms, from its Retry-After (seconds or an HTTP date); undefined without one. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const mark = typeof error === 'object' && error !== null ? declared.get(error) : undefined;
  if (mark?.retryAfterMs !== undefined) return mark.retryAfterMs;
  const cause = error instanceof ViknoError && error.cause !== undefined ? error.cause : error;
  if (!(cause instanceof HTTPError)) return undefined;
  const header = cause.response.headers['retry-after'];
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
