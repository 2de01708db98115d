import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';

/**
 * One process's Prometheus metrics (GET /metrics on the gateway and on every subgraph). Labels are
 * services, operation names, partner ids, outcome codes and cache kinds: never a person, a staff
 * id, an address or a key. Label values a caller could choose are bounded here, not by the caller:
 * an operation name that is not a GraphQL name of at most 64 characters, or that comes after the
 * first `maxOperations` distinct ones (the known ones aside), is "other"; an outcome that is not a
 * SCREAMING_SNAKE code is "OTHER".
 *
 * In the embedded default (`npm start`, every service in one process) there is one registry: each
 * /metrics endpoint serves all of it, and the `service` label tells the gateway's requests from each
 * subgraph's. Run one per process, as compose does, and each serves its own.
 */
export interface Metrics {
  readonly registry: Registry;
  /** A GraphQL request `service` (gateway, or a subgraph's name) answered, and how long it took. */
  request(service: string, operation: string | null | undefined, outcome: string, seconds: number): void;
  /** One partner call (its retries included): `operation` is the partner protocol's (batchLookup, GetAccount …); outcome OK or the error code. */
  partnerCall(partner: string, operation: string, outcome: string, seconds: number): void;
  /** A wait for a permit of the partner's quota: granted, or refused because it would overrun the budget. */
  quotaWait(partner: string, ms: number, granted?: boolean): void;
  /** A read of a partner's cache (records, extracts, adapter) and what came of it; a stale serve bridged a partner failure. */
  cache(partner: string, cache: string, result: CacheResult): void;
  /** Reports the partner's circuit in vikno_partner_circuit_state at every scrape. */
  watchCircuit(partner: string, state: () => CircuitState): void;
  /** Names always labelled as themselves (the registered operations), whatever the bound. */
  knowOperations(names: Iterable<string>): void;
  /** The label an operation name gets. */
  operationLabel(name: string | null | undefined): string;
}

export type CacheResult = 'hit' | 'miss' | 'stale' | 'error';
export type CircuitState = 'CLOSED' | 'HALF_OPEN' | 'OPEN';

export interface MetricsOptions {
  /** Process metrics (CPU, memory, GC, handles, event-loop delay: prom-client's defaults); once per process. */
  process?: boolean;
  /** Distinct operation names labelled as themselves besides the known ones (default 50). */
  maxOperations?: number;
}

export const CIRCUIT_VALUES: Readonly<Record<CircuitState, number>> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const WAIT_SECONDS = [0, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** The gateway names a subgraph's part of an operation `<Operation>__<subgraph>__<n>`. */
const SUBGRAPH_SUFFIX = /__[_0-9A-Za-z]+__\d+$/;
const CODE = /^[A-Z][A-Z0-9_]{0,47}$/;

/** A metric of this registry, created on first use: factories sharing a registry register each name once. */
export function registered<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

export const outcomeLabel = (code: unknown): string => (typeof code === 'string' && CODE.test(code) ? code : 'OTHER');

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.process) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const maxOperations = options.maxOperations ?? 50;
  const known = new Set<string>();
  const seen = new Set<string>();
  const circuits = new Map<string, () => CircuitState>();

  const requests = new Counter({ name: 'vikno_graphql_requests_total', help: 'GraphQL requests answered, by service, operation and outcome (OK or the first error code)', labelNames: ['service', 'operation', 'outcome'], registers });
  const requestSeconds = new Histogram({ name: 'vikno_graphql_request_duration_seconds', help: 'Time to answer a GraphQL request', labelNames: ['service', 'operation', 'outcome'], buckets: SECONDS, registers });
  const calls = new Counter({ name: 'vikno_partner_calls_total', help: 'Calls to partners (retries included in one call), by partner, protocol operation and outcome (OK or the error code)', labelNames: ['partner', 'operation', 'outcome'], registers });
  const callSeconds = new Histogram({ name: 'vikno_partner_call_duration_seconds', help: 'Time a partner call took, retries and quota waits included', labelNames: ['partner', 'operation', 'outcome'], buckets: SECONDS, registers });
  const quotaSeconds = new Histogram({ name: 'vikno_partner_quota_wait_seconds', help: "Waits for a permit of a partner's quota; refused: the wait would have overrun the budget", labelNames: ['partner', 'outcome'], buckets: WAIT_SECONDS, registers });
  const lookups = new Counter({ name: 'vikno_partner_cache_lookups_total', help: "Reads of a partner's cache: hit (served from it) or miss (the partner was asked)", labelNames: ['partner', 'cache', 'result'], registers });
  const staleServes = new Counter({ name: 'vikno_partner_cache_stale_serves_total', help: 'Stale copies served because the partner failed', labelNames: ['partner', 'cache'], registers });
  const cacheErrors = new Counter({ name: 'vikno_partner_cache_errors_total', help: "Reads or writes of a partner's cache that failed (a read was then a miss)", labelNames: ['partner', 'cache'], registers });
  new Gauge({
    name: 'vikno_partner_circuit_state', help: "A partner's circuit breaker: 0 closed, 1 half-open (one probe may pass), 2 open (calls fail at once)", labelNames: ['partner'], registers,
    collect() { for (const [partner, state] of circuits) this.set({ partner }, CIRCUIT_VALUES[state()]); },
  });

  function operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    const base = name.replace(SUBGRAPH_SUFFIX, '');
    if (!GRAPHQL_NAME.test(base)) return 'other';
    if (known.has(base) || seen.has(base)) return base;
    if (seen.size >= maxOperations) return 'other';
    seen.add(base);
    return base;
  }
  const protocolLabel = (operation: string) => (GRAPHQL_NAME.test(operation) ? operation : 'other');

  return {
    registry,
    request(service, operation, outcome, seconds) {
      const labels = { service, operation: operationLabel(operation), outcome: outcomeLabel(outcome) };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    partnerCall(partner, operation, outcome, seconds) {
      const labels = { partner, operation: protocolLabel(operation), outcome: outcomeLabel(outcome) };
      calls.inc(labels);
      callSeconds.observe(labels, seconds);
    },
    quotaWait(partner, ms, granted = true) {
      quotaSeconds.observe({ partner, outcome: granted ? 'granted' : 'refused' }, Math.max(0, ms) / 1000);
    },
    cache(partner, cache, result) {
      if (result === 'stale') staleServes.inc({ partner, cache });
      else if (result === 'error') cacheErrors.inc({ partner, cache });
      else lookups.inc({ partner, cache, result });
    },
    watchCircuit(partner, state) { circuits.set(partner, state); },
    knowOperations(names) { for (const name of names) if (GRAPHQL_NAME.test(name)) known.add(name); },
    operationLabel,
  };
}
