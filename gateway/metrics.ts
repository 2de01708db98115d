import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics (GET /metrics). Labels are roles, reasons and error codes: never
 * a person, a staff id or an address.
 */
export interface GatewayMetrics {
  registry: Registry;
  /** Look-ups refused by the limit on distinct people per principal. */
  lookupRefusals: Counter<'role'>;
  /** A principal's pace of distinct people crossed the alert threshold. */
  paceAlerts: Counter<'role'>;
  /** Requests refused before or at authentication, by reason (UNAUTHENTICATED, RATE_LIMITED …). */
  unauthenticatedRefusals: Counter<'reason'>;
  /** Trail appends that failed (the answer was withheld). */
  trailFailures: Counter<'phase'>;
}

export function createGatewayMetrics({ defaultMetrics = false }: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    lookupRefusals: new Counter({ name: 'vikno_lookup_refusals_total', help: 'Look-ups refused by the limit on distinct people per principal', labelNames: ['role'], registers: [registry] }),
    paceAlerts: new Counter({ name: 'vikno_lookup_pace_alerts_total', help: 'Principals whose pace of distinct people looked up is abnormal', labelNames: ['role'], registers: [registry] }),
    unauthenticatedRefusals: new Counter({ name: 'vikno_unauthenticated_refusals_total', help: 'Requests refused before authentication succeeded', labelNames: ['reason'], registers: [registry] }),
    trailFailures: new Counter({ name: 'vikno_trail_failures_total', help: 'Access trail writes that failed; the answer was withheld', labelNames: ['phase'], registers: [registry] }),
  };
}
