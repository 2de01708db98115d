import { Counter, Histogram, type Registry } from 'prom-client';
import { createMetrics, registered, type Metrics } from '../platform/metrics.js';
import type { TrailWriter } from './access.js';

/**
 * The gateway's Prometheus metrics (GET /metrics): the process's (platform/metrics.ts) and the
 * gateway's own. Labels are roles, reasons and error codes: never a person, a staff id or an address.
 */
export interface GatewayMetrics extends Metrics {
  registry: Registry;
  /** One durable write to the access trail (several records in one transaction), how long it took and whether it held. */
  trailAppend(seconds: number, ok: boolean): void;
  /** Look-ups refused by the limit on distinct people per principal. */
  lookupRefusals: Counter<'role'>;
  /** A principal's pace of distinct people crossed the alert threshold. */
  paceAlerts: Counter<'role'>;
  /** Requests refused before or at authentication, by reason (UNAUTHENTICATED, RATE_LIMITED …). */
  unauthenticatedRefusals: Counter<'reason'>;
  /** Trail appends that failed (the answer was withheld). */
  trailFailures: Counter<'phase'>;
  /** Requests refused at once because the gateway was overloaded. */
  overloadRefusals: Counter<'reason'>;
}

export interface GatewayMetricsOptions {
  /** Process metrics (CPU, memory, event-loop delay) when the gateway makes its own registry. */
  defaultMetrics?: boolean;
  /** The process's metrics, to add the gateway's to (the embedded default shares one registry); a new registry otherwise. */
  metrics?: Metrics;
}

export function createGatewayMetrics({ defaultMetrics = false, metrics }: GatewayMetricsOptions = {}): GatewayMetrics {
  const base = metrics ?? createMetrics({ process: defaultMetrics });
  const { registry } = base;
  const appends = registered(registry, 'vikno_trail_appends_total', () => new Counter({ name: 'vikno_trail_appends_total', help: 'Durable writes to the access trail, by outcome (ok, failed)', labelNames: ['outcome'], registers: [registry] }));
  const appendSeconds = registered(registry, 'vikno_trail_append_duration_seconds', () => new Histogram({
    name: 'vikno_trail_append_duration_seconds', help: 'Time a durable write to the access trail took', labelNames: ['outcome'], registers: [registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }));
  return {
    ...base,
    trailAppend(seconds, ok) {
      const outcome = ok ? 'ok' : 'failed';
      appends.inc({ outcome });
      appendSeconds.observe({ outcome }, seconds);
    },
    lookupRefusals: new Counter({ name: 'vikno_lookup_refusals_total', help: 'Look-ups refused by the limit on distinct people per principal', labelNames: ['role'], registers: [registry] }),
    paceAlerts: new Counter({ name: 'vikno_lookup_pace_alerts_total', help: 'Principals whose pace of distinct people looked up is abnormal', labelNames: ['role'], registers: [registry] }),
    unauthenticatedRefusals: new Counter({ name: 'vikno_unauthenticated_refusals_total', help: 'Requests refused before authentication succeeded', labelNames: ['reason'], registers: [registry] }),
    overloadRefusals: new Counter({ name: 'vikno_overload_refusals_total', help: 'Requests refused with 503 because too much work was in flight or the event loop lagged', labelNames: ['reason'], registers: [registry] }),
    trailFailures: new Counter({ name: 'vikno_trail_failures_total', help: 'Access trail writes that failed; the answer was withheld', labelNames: ['phase'], registers: [registry] }),
  };
}

/** The trail as the gateway writes it, each write timed (vikno_trail_append_duration_seconds). */
export function timedTrail(trail: TrailWriter, metrics: Pick<GatewayMetrics, 'trailAppend'>): TrailWriter {
  return {
    async appendMany(entries) {
      const started = performance.now();
      try {
        const records = await trail.appendMany(entries);
        metrics.trailAppend((performance.now() - started) / 1000, true);
        return records;
      } catch (error) {
        metrics.trailAppend((performance.now() - started) / 1000, false);
        throw error;
      }
    },
  };
}
