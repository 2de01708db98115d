import type { Hooks } from 'got';
import { injectTraceContext, inSpan, SpanKind } from '../../platform/tracing.js';
import type { Metrics } from '../../platform/metrics.js';
import type { PartnerHttp, PartnerRequest, PartnerResponse } from './http.js';
import type { PartnerCache } from './cache.js';

/**
 * Metrics and spans around what createPartners builds for each partner, so the HTTP core, the
 * quota and the caches stay about their own work. Span names and labels carry the partner id and
 * the operation, never a key, a URL or a body.
 */

/** got hooks that carry the trace on to the partner: `traceparent` on each attempt, from the call's span. */
export const traceContextHooks: Partial<Hooks> = { beforeRequest: [(options) => injectTraceContext(options.headers)] };

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
};

/** Each call a span `<METHOD> <partner> <protocol operation>` (client) and a point of vikno_partner_call_duration_seconds. */
export function observedHttp(http: PartnerHttp, metrics?: Metrics): PartnerHttp {
  const { partnerId } = http;
  return {
    partnerId,
    with: (dialect) => observedHttp(http.with(dialect), metrics),
    request<T>(op: string, request: PartnerRequest): Promise<PartnerResponse<T>> {
      const method = request.method ?? 'GET';
      const attributes = { 'vikno.partner': partnerId, 'vikno.partner.operation': op, 'http.request.method': method };
      return inSpan(`${method} ${partnerId} ${op}`, SpanKind.CLIENT, attributes, async (span) => {
        const started = performance.now();
        const seconds = () => (performance.now() - started) / 1000;
        try {
          const response = await http.request<T>(op, request);
          metrics?.partnerCall(partnerId, op, 'OK', seconds());
          span.setAttributes({ 'http.response.status_code': response.statusCode, 'vikno.outcome': 'OK' });
          return response;
        } catch (error) {
          metrics?.partnerCall(partnerId, op, codeOf(error), seconds());
          span.setAttribute('vikno.outcome', codeOf(error));
          throw error;
        }
      });
    },
  };
}

/** What observedQuota needs of a partner's quota (quota.ts). */
export interface Quota {
  acquire(deadlineAt: number, minCallMs: number, signal?: AbortSignal): Promise<() => void>;
  pause(ms: number): void;
}

/** Every wait for a permit measured (vikno_partner_quota_wait_seconds): granted, or refused as it would overrun the budget. */
export function observedQuota<Q extends Quota>(quota: Q, partnerId: string, metrics?: Metrics): Q {
  if (!metrics) return quota;
  return {
    async acquire(deadlineAt, minCallMs, signal) {
      const started = performance.now();
      try {
        const release = await quota.acquire(deadlineAt, minCallMs, signal);
        metrics.quotaWait(partnerId, performance.now() - started, true);
        return release;
      } catch (error) {
        metrics.quotaWait(partnerId, performance.now() - started, false);
        throw error;
      }
    },
    pause: (ms) => quota.pause(ms),
  } as Q;
}

/** The adapter's own cache (tariffs and the like): hits and misses. */
export function observedCache(cache: PartnerCache, partnerId: string, metrics?: Metrics): PartnerCache {
  if (!metrics) return cache;
  return {
    async getOrLoad(key, ttlMs, load) {
      let cached;
      try {
        cached = await cache.getOrLoad(key, ttlMs, load);
      } catch (error) {
        metrics.cache(partnerId, 'adapter', 'miss'); // only a load fails, and a load follows a miss
        throw error;
      }
      metrics.cache(partnerId, 'adapter', cached.hit ? 'hit' : 'miss');
      return cached;
    },
  };
}

/** Each operation of the contract a span `partner <id> <operation>` (accountsByTaxIds, parcelExtract …), whatever answered it: cache or partner. */
export function tracedOperations<Ops extends object>(ops: Ops, partnerId: string): Ops {
  const traced: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(ops as Record<string, (...args: unknown[]) => Promise<unknown>>)) {
    traced[name] = (...args: unknown[]) =>
      inSpan(`partner ${partnerId} ${name}`, SpanKind.INTERNAL, { 'vikno.partner': partnerId, 'vikno.operation': name }, () => operation(...args));
  }
  return traced as Ops;
}
