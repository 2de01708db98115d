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
 *   a status the adapter does not expect: asking again at once will not help.
 * - REFUSED: the partner worked and said no (400, 404, 422): our question, not its health.
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

/** Classifies a failure, raw (got's errors) or catalogued (an adapter's ViknoError, or one mapped from got's). */
export function failureKind(error: unknown): FailureKind {
  if (isNotCalled(error)) return 'NOT_CALLED';
  const cause = error instanceof ViknoError && error.cause !== undefined ? error.cause : error;
  if (isNotCalled(cause)) return 'NOT_CALLED';
  if (cause instanceof HTTPError) {
    const status = cause.response.statusCode;
    if (status === 429) return 'THROTTLED';
    if (status >= 500 || status === 408) return 'TRANSIENT';
    if (status === 400 || status === 404 || status === 422) return 'REFUSED';
    return 'BROKEN'; // 401/403 (our credentials refused), or a status the adapter does not expect

  }
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
  const cause = error instanceof ViknoError && error.cause !== undefined ? error.cause : error;
  if (!(cause instanceof HTTPError)) return undefined;
  const header = cause.response.headers['retry-after'];
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
