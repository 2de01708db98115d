import http from 'node:http';
import https from 'node:https';
import { got, HTTPError, RequestError, TimeoutError, ParseError, type Got, type Headers, type Response } from 'got';
import type { Logger } from './logger.js';
import {
  BadUserInputError, NotFoundError, PartnerBadResponseError, PartnerTimeoutError, PartnerUnavailableError, ViknoError,
} from '../../domain/errors.js';

export interface PartnerHttpOptions {
  partnerId: string;
  baseUrl: string;
  /** Each attempt's deadline (got restarts it on a retry; a whole-call deadline comes with the resilience work). */
  timeoutMs: number;
  log: Logger;
  /** Headers sent with every call (never log them: they may carry credentials). */
  headers?: Record<string, string>;
  /** Retries got may make (only for idempotent reads; 0 by default). */
  retryLimit?: number;
  /** Longest Retry-After the client will wait for, in ms. */
  maxRetryAfterMs?: number;
  /** Told of every call's outcome (the partners' status board). */
  onOutcome?: (ok: boolean) => void;
}

/** Failures that say something about the partner's health (a 400 or a 404 is the partner working). */
const UNHEALTHY = new Set(['PARTNER_UNAVAILABLE', 'PARTNER_TIMEOUT', 'PARTNER_BAD_RESPONSE']);

export interface PartnerRequest {
  method?: 'GET' | 'POST';
  path: string;
  searchParams?: Record<string, string | number>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string | Buffer;
  headers?: Record<string, string>;
  responseType?: 'json' | 'text' | 'buffer';
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
  const client: Got = got.extend({
    prefixUrl: options.baseUrl,
    timeout: { request: options.timeoutMs },
    headers: options.headers,
    agent,
    retry: {
      limit: options.retryLimit ?? 0,
      methods: ['GET'],
      statusCodes: [429, 502, 503, 504],
      maxRetryAfter: options.maxRetryAfterMs ?? options.timeoutMs,
    },
  });

  return {
    partnerId,
    async request<T>(op: string, request: PartnerRequest): Promise<PartnerResponse<T>> {
      const started = performance.now();
      try {
        const response = await client(request.path.replace(/^\//, ''), {
          method: request.method ?? 'GET',
          searchParams: request.searchParams,
          json: request.json,
          form: request.form,
          body: request.body,
          headers: request.headers,
          responseType: request.responseType ?? 'json',
        }) as Response<unknown>;
        log.info({ partner: partnerId, op, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'partner call');
        options.onOutcome?.(true);
        return { statusCode: response.statusCode, headers: response.headers, body: response.body as T };
      } catch (error) {
        const mapped = toPartnerError(partnerId, error);
        options.onOutcome?.(!UNHEALTHY.has(mapped.code));
        const status = error instanceof HTTPError ? error.response.statusCode : undefined;
        log.warn(
          { partner: partnerId, op, status, errorCode: mapped.code, cause: (error as { code?: string }).code, ms: Math.round(performance.now() - started) },
          'partner call failed',
        );
        throw mapped;
      }
    },
  };
}
