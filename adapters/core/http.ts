import http from 'node:http';
import https from 'node:https';
import { got, HTTPError, RequestError, TimeoutError, ParseError, type Got, type Headers, type Response } from 'got';
import type { Logger } from '../../platform/logger.js';
import { traceContextHooks } from './partner-telemetry.js';
import { currentDeadline } from './deadline.js';
import type { PartnerBreaker } from './breaker.js';
import { FAILURE_POLICY, failureKind, retryAfterMs } from './failure.js';
import { createQuota, wait, type PartnerQuota } from './quota.js';
import {
  BadUserInputError, NotFoundError, PartnerBadResponseError, PartnerTimeoutError, PartnerUnavailableError, ViknoError,
} from '../../domain/errors.js';

export interface PartnerHttpOptions {
  partnerId: string;
  baseUrl: string;
  /** The deadline of a call made outside an operation's deadline (withDeadline), in ms. */
  timeoutMs: number;
  log: Logger;
  /** Headers sent with every call (never log them: they may carry credentials). */
  headers?: Record<string, string>;
  /** Retries of an idempotent read after a transient failure (failure.ts: 5xx, 429, connection reset). */
  retryLimit?: number;
  /** The partner's quota (memorandum `connection.quota`): every attempt waits for a permit; a 429 pauses it. */
  quota?: PartnerQuota;
  /** Told of every call's outcome (the partners' status board). */
  onOutcome?: (ok: boolean) => void;
  breaker?: PartnerBreaker;
  /** Random in [0, 1) for the backoff jitter (tests pin it). */
  random?: () => number;
}

export interface PartnerRequest {
  method?: 'GET' | 'POST';
  path: string;
  searchParams?: Record<string, string | number> | URLSearchParams;
  json?: unknown;
  form?: Record<string, string>;
  body?: string | Buffer;
  headers?: Record<string, string>;
  responseType?: 'json' | 'text' | 'buffer';
  /**
   * Whether the call may be retried: by default a GET is and a POST is not. true for a POST that only
   * reads (a SOAP query, a batch lookup); false for a GET that issues something (an extract).
   */
  idempotent?: boolean;
}

export interface PartnerResponse<T> {
  statusCode: number;
  headers: Headers;
  body: T;
}

export interface PartnerHttp {
  readonly partnerId: string;
  /** One call to the partner; every failure comes back as a catalogued ViknoError. */
  request<T = unknown>(op: string, request: PartnerRequest): Promise<PartnerResponse<T>>;
}

// Keep-alive: every adapter talks to one host many times; reconnecting per call costs latency.
const agent = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 1000;
/** A retry is only worth starting with at least this much of the deadline left. */
const MIN_ATTEMPT_MS = 50;
/**
 * A wait for the partner's quota is only worth making if it leaves the call this much of the
 * deadline (a quarter of timeoutMs, at most this): a call started with less would likely be cut
 * short by the deadline and count against a partner that did nothing wrong.
 */
const MAX_MIN_CALL_MS = 500;
/** How long a 429 without Retry-After pauses the partner's calls. */
const DEFAULT_THROTTLE_PAUSE_MS = 1000;

/** Maps got's failures to the catalogue. Messages name no URL (URLs can carry tax ids). */
export function toPartnerError(partnerId: string, error: unknown): ViknoError {
  if (error instanceof ViknoError) return error;
  if (error instanceof TimeoutError) return new PartnerTimeoutError(partnerId, undefined, { cause: error });
  if (error instanceof ParseError) {
    return new PartnerBadResponseError(partnerId, 'the partner answered with a body that is not valid JSON', { cause: error });
  }
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    if (status === 400 || status === 422) {
      return new BadUserInputError(`the partner rejected the request (HTTP ${status})`, { partner: partnerId, cause: error });
    }
    if (status === 404) return new NotFoundError('the partner has no such record', { partner: partnerId, cause: error });
    if (status === 429) return new PartnerUnavailableError(partnerId, 'the partner is throttling calls (HTTP 429)', { cause: error });
    if (status === 401 || status === 403) {
      return new PartnerUnavailableError(partnerId, `the partner refused our credentials (HTTP ${status})`, { cause: error });
    }
    return new PartnerUnavailableError(partnerId, `the partner failed (HTTP ${status})`, { cause: error });
  }
  if (error instanceof RequestError && error.code && UNREACHABLE.has(error.code)) {
    return new PartnerUnavailableError(partnerId, 'the partner cannot be reached', { cause: error });
  }
  return new PartnerUnavailableError(partnerId, 'the call to the partner failed', { cause: error });
}

export function createPartnerHttp(options: PartnerHttpOptions): PartnerHttp {
  const { partnerId, log } = options;
  const random = options.random ?? Math.random;
  const client: Got = got.extend({ prefixUrl: options.baseUrl, headers: options.headers, agent, retry: { limit: 0 } });
  const quota = options.quota ?? createQuota({ partnerId, log });
  const minCallMs = Math.min(MAX_MIN_CALL_MS, options.timeoutMs / 4);

  /** One call: it may use what is left of the deadline, no more. */
  async function attempt(request: PartnerRequest, deadlineAt: number, signal: AbortSignal): Promise<Response<unknown>> {
    return (await client(request.path.replace(/^\//, ''), {
      method: request.method ?? 'GET',
      searchParams: request.searchParams,
      json: request.json,
      form: request.form,
      body: request.body,
      headers: request.headers,
      hooks: traceContextHooks, // traceparent on every attempt
      responseType: request.responseType ?? 'json',
      signal,
      timeout: { request: Math.max(1, deadlineAt - Date.now()) },
    })) as Response<unknown>;
  }

  /**
   * The call and its retries, each attempt within the partner's quota. Retried: idempotent reads
   * after a transient failure (failure.ts), after full-jitter backoff or, for a 429, once the pause
   * it asked for is over; never one that could not finish before the deadline.
   */
  async function attempts(op: string, request: PartnerRequest, deadlineAt: number, signal: AbortSignal): Promise<Response<unknown>> {
    const retries = request.idempotent ?? (request.method ?? 'GET') === 'GET' ? options.retryLimit ?? 0 : 0;
    let failed: unknown;
    for (let attemptCount = 1; ; attemptCount++) {
      // A retry the quota has no room for: the call failed with the attempt before it.
      const release = await quota.acquire(deadlineAt, minCallMs, signal).catch((error: unknown) => { throw failed ?? error; });
      try {
        return await attempt(request, deadlineAt, signal);
      } catch (error) {
        release(); // a permit is held for the call only, not for the wait before its retry
        failed = error;
        const kind = failureKind(error);
        const askedMs = retryAfterMs(error);
        // A 429 slows every caller of the partner down, not only this one.
        if (kind === 'THROTTLED') quota.pause(askedMs ?? DEFAULT_THROTTLE_PAUSE_MS);
        if (attemptCount > retries || !FAILURE_POLICY[kind].retry || signal.aborted) throw error;
        const delay = kind === 'THROTTLED' ? askedMs ?? DEFAULT_THROTTLE_PAUSE_MS
          : random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attemptCount - 1));
        // After a 429 the next attempt waits in the quota, which leaves the call minCallMs.
        if (Date.now() + delay + (kind === 'THROTTLED' ? minCallMs : MIN_ATTEMPT_MS) > deadlineAt) throw error;
        const status = error instanceof HTTPError ? error.response.statusCode : undefined;
        log.info({ partner: partnerId, op, status, attempt: attemptCount + 1, delayMs: Math.round(delay) }, 'partner call retried');
        // After a 429 the quota's pause is the wait: acquiring the next permit waits it out.
        // Should the deadline end the wait, the call failed with this attempt's failure.
        if (kind !== 'THROTTLED') await wait(delay, signal).catch(() => { throw error; });
      } finally {
        release();
      }
    }
  }

  return {
    partnerId,
    async request<T>(op: string, request: PartnerRequest): Promise<PartnerResponse<T>> {
      const started = performance.now();
      const deadline = currentDeadline();
      const deadlineAt = deadline?.at ?? Date.now() + options.timeoutMs;
      const signal = deadline?.signal ?? AbortSignal.timeout(options.timeoutMs);
      try {
        const call = () => attempts(op, request, deadlineAt, signal);
        const response = await (options.breaker ? options.breaker.execute(call) : call());
        log.info({ partner: partnerId, op, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'partner call');
        options.onOutcome?.(true);
        return { statusCode: response.statusCode, headers: response.headers, body: response.body as T };
      } catch (error) {
        // An aborted call is one the deadline ended.
        const mapped = signal.aborted && !(error instanceof ViknoError)
          ? new PartnerTimeoutError(partnerId, undefined, { cause: error })
          : toPartnerError(partnerId, error);
        const status = error instanceof HTTPError ? error.response.statusCode : undefined;
        log.warn(
          { partner: partnerId, op, status, errorCode: mapped.code, cause: (error as { code?: string }).code, ms: Math.round(performance.now() - started) },
          'partner call failed',
        );
        // The status board hears what the breaker hears (failure.ts); a 429 or a call never made says nothing of the partner's health.
        const health = FAILURE_POLICY[failureKind(error)].health;
        if (health !== 'NONE') options.onOutcome?.(health === 'OK');
        throw mapped;
      }
    },
  };
}
