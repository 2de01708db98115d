import http from 'node:http';
import https from 'node:https';
import { got, HTTPError, RequestError, TimeoutError, ParseError, type Got, type Headers, type Response } from 'got';
import { partnerLogger, type Logger } from '../../platform/logger.js';
import { traceContextHooks } from './partner-telemetry.js';
import { currentDeadline } from './deadline.js';
import type { PartnerBreaker } from './breaker.js';
import { declareFailure, FAILURE_POLICY, failureKind, retryAfterMs, type DeclaredKind } from './failure.js';
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
  /** Retries of an idempotent read after a transient failure (failure.ts: 5xx, 408, 429, connection reset). */
  retryLimit?: number;
  /** Called before every attempt of every call (see PartnerRequest.beforeAttempt); a request's own runs after it. */
  beforeAttempt?: BeforeAttempt;
  /** Judges every answer of every call (see PartnerRequest.classify); a request's own is asked first. */
  classify?: ResponseClassifier;
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
   * Whether the call may be retried after a transient failure. Default: a GET may, a POST may not.
   * A POST that only reads (a SOAP query, a batch lookup) sets `true`; a call that issues something
   * (an extract, a certificate) sets `false`, whatever its method: it is never retried.
   */
  idempotent?: boolean;
  /** Called before every attempt of this call, retries included (after the client's own hook). */
  beforeAttempt?: BeforeAttempt;
  /** Judges this call's answers before the client's own classifier. */
  classify?: ResponseClassifier;
}

/** What one attempt is about to send: exactly what a signature must cover. */
export interface Attempt {
  op: string;
  /** 1 for the first attempt, 2 for the first retry … */
  number: number;
  method: 'GET' | 'POST';
  /** The path with its query string, as sent (after the base URL's own path). */
  path: string;
  /** The body as sent ('' when there is none); a `json` or `form` request's body is serialised once, here. */
  body: string | Buffer;
  /** The request's own headers (not the client's). */
  headers: Readonly<Record<string, string>>;
  /** Why the previous attempt failed (undefined on the first). */
  previousFailure?: unknown;
}

/**
 * Runs before each attempt (retries included): returns headers to send with that attempt only
 * (a signature over method, path, body, timestamp and nonce; a fresh access token). It runs before
 * the attempt waits for the partner's quota, so it may itself call the partner (a token endpoint).
 */
export type BeforeAttempt = (attempt: Attempt) => Promise<Record<string, string> | void> | Record<string, string> | void;

/** An answer as the partner sent it, any status: the body parsed as the request's responseType (text when JSON does not parse). */
export interface PartnerAnswer {
  op: string;
  statusCode: number;
  headers: Headers;
  body: unknown;
}

/**
 * What a response classifier found in an answer: a failure of `kind` (failure.ts), reported as
 * `error` (a catalogued error, domain/errors.ts). TRANSIENT is retried and counts against the
 * partner; THROTTLED paces (waits `retryAfterMs`); REFUSED is a client fault (BAD_USER_INPUT):
 * never retried nor counted; BROKEN counts, not retried.
 */
export interface ClassifiedFailure {
  kind: DeclaredKind;
  error: ViknoError;
  /** For THROTTLED: how long the partner asked us to wait. */
  retryAfterMs?: number;
}

/**
 * Judges an answer, whatever its HTTP status: a failure inside a 200 (a JSON-RPC error, a SOAP
 * fault), or what a 500 really is (a SOAP `Client` fault is bad input). Undefined: the status decides.
 */
export type ResponseClassifier = (answer: PartnerAnswer) => ClassifiedFailure | undefined;

export interface PartnerResponse<T> {
  statusCode: number;
  headers: Headers;
  body: T;
}

export interface PartnerHttp {
  readonly partnerId: string;
  /** One call to the partner; every failure comes back as a catalogued ViknoError. */
  request<T = unknown>(op: string, request: PartnerRequest): Promise<PartnerResponse<T>>;
  /**
   * This client with a per-attempt hook and/or a response classifier for every call it makes: the
   * same partner, quota, breaker, retries and status board (hooks and classifiers add up).
   */
  with(dialect: { beforeAttempt?: BeforeAttempt; classify?: ResponseClassifier }): PartnerHttp;
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
    if (status === 404) return new NotFoundError('the partner has no such record', { partner: partnerId, cause: error });
    if (status === 429) return new PartnerUnavailableError(partnerId, 'the partner is throttling calls (HTTP 429)', { cause: error });
    if (status === 401 || status === 403) {
      return new PartnerUnavailableError(partnerId, `the partner refused our credentials (HTTP ${status})`, { cause: error });
    }
    if (status === 400 || status === 422) {
      return new BadUserInputError(`the partner rejected the request (HTTP ${status})`, { partner: partnerId, cause: error });
    }
    // Other client faults (409, 413 …) keep their code, but, like every 4xx but 401/403/408/429, are
    // neither retried nor counted against the partner (failure.ts reads the status from the cause).
    return new PartnerUnavailableError(partnerId, `the partner failed (HTTP ${status})`, { cause: error });
  }
  if (error instanceof RequestError && error.code && UNREACHABLE.has(error.code)) {
    return new PartnerUnavailableError(partnerId, 'the partner cannot be reached', { cause: error });
  }
  return new PartnerUnavailableError(partnerId, 'the call to the partner failed', { cause: error });
}

export function createPartnerHttp(options: PartnerHttpOptions): PartnerHttp {
  const { partnerId } = options;
  const log = partnerLogger(options.log, partnerId);
  const random = options.random ?? Math.random;
  // got's own retries are off: only ours (failure.ts) apply. HTTP statuses are judged here, after
  // the classifiers, so a got HTTPError is only ever made by us. No compression is asked for: the
  // answers are one person's records, small, and got's decompressing stream wrapper nearly doubles
  // the CPU of a call (0.8 against 0.4 ms, measured). The trace hook is the client's, not merged into every call's options.
  const client: Got = got.extend({
    prefixUrl: options.baseUrl, headers: options.headers, agent, throwHttpErrors: false, decompress: false,
    retry: { limit: 0, methods: [], statusCodes: [], errorCodes: [] },
    hooks: traceContextHooks, // traceparent on every attempt
  });
  const quota = options.quota ?? createQuota({ partnerId, log });
  const minCallMs = Math.min(MAX_MIN_CALL_MS, options.timeoutMs / 4);

  /** The request with its body as it will be sent, so a signature covers the bytes that go. */
  function prepared(request: PartnerRequest, hooked: boolean): PartnerRequest {
    if (!hooked) return request;
    if (request.json !== undefined) {
      const { json, ...rest } = request;
      return { ...rest, body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...request.headers } };
    }
    if (request.form !== undefined) {
      const { form, ...rest } = request;
      return { ...rest, body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...request.headers } };
    }
    return request;
  }

  function pathOf(request: PartnerRequest): string {
    const query = request.searchParams === undefined ? '' : new URLSearchParams(
      request.searchParams instanceof URLSearchParams ? request.searchParams
        : Object.entries(request.searchParams).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    const path = `/${request.path.replace(/^\//, '')}`;
    return query === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${query}`;
  }

  /** One call: it may use what is left of the deadline, no more. */
  async function attempt(op: string, request: PartnerRequest, headers: Record<string, string> | undefined,
    classifiers: readonly ResponseClassifier[], deadlineAt: number, signal: AbortSignal): Promise<Response<unknown>> {
    const response = (await client(request.path.replace(/^\//, ''), {
      method: request.method ?? 'GET',
      searchParams: request.searchParams,
      json: request.json,
      form: request.form,
      body: request.body,
      headers,
      responseType: request.responseType ?? 'json',
      signal,
      timeout: { request: Math.max(1, deadlineAt - Date.now()) },
    })) as Response<unknown>;
    const answer: PartnerAnswer = { op, statusCode: response.statusCode, headers: response.headers, body: response.body };
    for (const classify of classifiers) {
      const found = classify(answer);
      if (found) {
        const cause = response.ok ? undefined : new HTTPError(response);
        if (cause && found.error.cause === undefined) Object.defineProperty(found.error, 'cause', { value: cause, configurable: true, writable: true });
        throw declareFailure(found.error, found.kind, found.retryAfterMs);
      }
    }
    if (!response.ok) throw new HTTPError(response);
    return response;
  }

  /**
   * The call and its retries, each attempt within the partner's quota. Retried: idempotent calls
   * after a transient failure (failure.ts), after full-jitter backoff or, for a 429, once the pause
   * it asked for is over; never one that could not finish before the deadline. Before every
   * attempt the hooks run (a new signature, a fresh token).
   */
  async function attempts(op: string, original: PartnerRequest, dialect: Dialect, deadlineAt: number, signal: AbortSignal): Promise<Response<unknown>> {
    const hooks = [...dialect.hooks, ...(original.beforeAttempt ? [original.beforeAttempt] : [])];
    const classifiers = [...(original.classify ? [original.classify] : []), ...dialect.classifiers];
    const request = prepared(original, hooks.length > 0);
    const method = request.method ?? 'GET';
    const retries = (request.idempotent ?? method === 'GET') ? options.retryLimit ?? 0 : 0;
    let failed: unknown;
    for (let attemptCount = 1; ; attemptCount++) {
      let headers = request.headers;
      if (hooks.length > 0) {
        const at: Attempt = {
          op, number: attemptCount, method, path: pathOf(request), body: request.body ?? '', headers: { ...request.headers }, previousFailure: failed,
        };
        for (const hook of hooks) {
          // A hook that throws ends the call with its error (the previous attempt's, if it had one, is in previousFailure).
          const extra = await hook(at);
          if (extra) headers = { ...headers, ...extra };
        }
      }
      // A retry the quota has no room for: the call failed with the attempt before it.
      const release = await quota.acquire(deadlineAt, minCallMs, signal).catch((error: unknown) => { throw failed ?? error; });
      try {
        return await attempt(op, request, headers, classifiers, deadlineAt, signal);
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
        const status = statusOf(error);
        log.info({ op, status, attempt: attemptCount + 1, delayMs: Math.round(delay) }, 'partner call retried');
        // After a 429 the quota's pause is the wait: acquiring the next permit waits it out.
        // Should the deadline end the wait, the call failed with this attempt's failure.
        if (kind !== 'THROTTLED') await wait(delay, signal).catch(() => { throw error; });
      } finally {
        release();
      }
    }
  }

  function withDialect(dialect: Dialect): PartnerHttp {
    return {
      partnerId,
      with: (more) => withDialect({
        hooks: [...dialect.hooks, ...(more.beforeAttempt ? [more.beforeAttempt] : [])],
        classifiers: [...(more.classify ? [more.classify] : []), ...dialect.classifiers],
      }),
      async request<T>(op: string, request: PartnerRequest): Promise<PartnerResponse<T>> {
        const started = performance.now();
        const deadline = currentDeadline();
        const deadlineAt = deadline?.at ?? Date.now() + options.timeoutMs;
        const signal = deadline?.signal ?? AbortSignal.timeout(options.timeoutMs);
        try {
          // One logical call for the breaker and the status board, however many attempts it took.
          const call = () => attempts(op, request, dialect, deadlineAt, signal);
          const response = await (options.breaker ? options.breaker.execute(call) : call());
          log.info({ op, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'partner call');
          options.onOutcome?.(true);
          return { statusCode: response.statusCode, headers: response.headers, body: response.body as T };
        } catch (error) {
          // An aborted call is one the deadline ended.
          const mapped = signal.aborted && !(error instanceof ViknoError)
            ? new PartnerTimeoutError(partnerId, undefined, { cause: error })
            : toPartnerError(partnerId, error);
          log.warn(
            { op, status: statusOf(error), errorCode: mapped.code, cause: (error as { code?: string }).code, ms: Math.round(performance.now() - started) },
            'partner call failed',
          );
          // The status board hears what the breaker hears (failure.ts); a 429, a client fault or a call never made says nothing against the partner.
          const health = FAILURE_POLICY[failureKind(error)].health;
          if (health !== 'NONE') options.onOutcome?.(health === 'OK');
          throw mapped;
        }
      },
    };
  }

  return withDialect({
    hooks: options.beforeAttempt ? [options.beforeAttempt] : [],
    classifiers: options.classify ? [options.classify] : [],
  });
}

interface Dialect {
  hooks: readonly BeforeAttempt[];
  classifiers: readonly ResponseClassifier[];
}

/** The HTTP status behind a failure, for logs. */
function statusOf(error: unknown): number | undefined {
  const cause = error instanceof ViknoError && error.cause !== undefined ? error.cause : error;
  return cause instanceof HTTPError ? cause.response.statusCode : undefined;
}
