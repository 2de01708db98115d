import type { Domain } from '../../domain/domains.js';
import type { PartnerRef, RegistryExtract } from '../../domain/model.js';
import type { AnyAdapterDefinition } from './define-adapter.js';
import type { DomainOperations } from './contract.js';
import { createPartnerHttp, type PartnerHttp } from './http.js';
import { createPartnerCache } from './cache.js';
import { observedCache, observedHttp, tracedOperations } from './partner-telemetry.js';
import type { Metrics } from '../../platform/metrics.js';
import { partnerLogger, type Logger } from '../../platform/logger.js';
import type { Clock } from '../../platform/clock.js';
import type { StatusBoard } from './status-board.js';
import { createBreaker, type PartnerBreaker } from './breaker.js';
import { issuedExtract, withResilience } from './resilient.js';
import { createQuota } from './quota.js';
import { createMemoryStore, type SharedStore } from '../../platform/store.js';
import { createKeyedHash, type KeyedHash } from '../../platform/keyed-hash.js';
import { issuesToProblems, MemorandumError, type Memorandum, type PartnerEntry } from '../../domain/memorandum.js';

/** A partner ready to be called: its identity from the memorandum and its adapter's operations. */
export interface Partner<D extends Domain = Domain> {
  ref: PartnerRef;
  entry: PartnerEntry;
  domain: D;
  maxBatchSize: number;
  /** The adapter's operations with the deadline, cache, stale fallback and shared calls around them. */
  ops: DomainOperations[D];
  /** The adapter's own operations (its http client still has retries and the breaker): what the conformance suite checks. */
  adapterOps: DomainOperations[D];
  breaker: PartnerBreaker;
  /** The extract this process's partner operations last issued for a subject (cadastral number, VIN), while kept; null when none. Asks no partner. */
  issuedExtract(subject: string): Promise<RegistryExtract | null>;
}

export interface CreatePartnersOptions {
  memorandum: Memorandum;
  /** Adapters by name (loadAdapters in adapters/registry.ts). */
  adapters: Readonly<Record<string, AnyAdapterDefinition>>;
  /** Where credentials are read from: process.env in production, generated ones in the embedded default. */
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  clock: Clock;
  /** Where caches live (memory by default, Redis when configured); each partner gets its own namespaces. */
  store?: SharedStore;
  /** Keyed hash for cache keys of personal identifiers; replicas sharing a store must share it. */
  hash?: KeyedHash;
  /** This process's metrics: partner calls, quota waits, caches and circuits (platform/metrics.ts). */
  metrics?: Metrics;
  /** Where call outcomes are recorded, for the partners' live status. */
  statusBoard?: StatusBoard;
  /** Base URLs that replace the memorandum's, by partner id (the embedded default binds emulators to free ports). */
  baseUrls?: Readonly<Record<string, string>>;
  /** Milliseconds of a monotonic clock the partners' quotas keep time by (default performance.now; tests script it). */
  quotaNow?: () => number;
  /** Only partners of these domains (a subgraph builds only its own). */
  domains?: readonly Domain[];
  file?: string;
}

export interface AdapterHttpOptions {
  entry: PartnerEntry;
  definition: AnyAdapterDefinition;
  /** The partner's child logger. */
  log: Logger;
  store: SharedStore;
  metrics?: Metrics;
  statusBoard?: StatusBoard;
  /** Replaces the memorandum's base URL. */
  baseUrl?: string;
  quotaNow?: () => number;
  /** Random in [0, 1) for the retries' backoff jitter (default Math.random; tests pin it). */
  random?: () => number;
}

/**
 * The http client an adapter gets, as the memorandum declares it: the partner's deadline, its
 * retries (`connection.retries`, else the adapter's retryLimit, else 2), its quota, its circuit
 * breaker, the status board told of every call, metrics and traces. The one place this is wired:
 * production, the conformance suite and the adapters' tests all build it here.
 */
export function createAdapterHttp(options: AdapterHttpOptions): { http: PartnerHttp; breaker: PartnerBreaker } {
  const { entry, definition } = options;
  const log = partnerLogger(options.log, entry.id);
  const { connection } = entry;
  const breaker = createBreaker(entry.id, { failures: connection.breaker.failures, halfOpenAfterMs: connection.breaker.halfOpenAfterSeconds * 1000 },
    (state) => { log.warn({ circuit: state }, 'circuit breaker changed state'); options.statusBoard?.setCircuit(entry.id, state); });
  options.metrics?.watchCircuit(entry.id, () => breaker.state());
  const http = observedHttp(createPartnerHttp({
    partnerId: entry.id,
    baseUrl: options.baseUrl ?? connection.baseUrl,
    timeoutMs: connection.timeoutMs,
    retryLimit: retriesOf(entry, definition),
    // With Redis, replicas share the partner's rate (quota.ts).
    quota: createQuota({ partnerId: entry.id, log, ...connection.quota, shared: options.store.eval, now: options.quotaNow }),
    breaker,
    log,
    random: options.random,
    onOutcome: options.statusBoard ? (ok) => options.statusBoard!.record(entry.id, ok) : undefined,
  }), options.metrics);
  return { http, breaker };
}

/** The retries a partner's idempotent calls get: the memorandum's, else the adapter's default, else 2. */
export function retriesOf(entry: PartnerEntry, definition: Pick<AnyAdapterDefinition, 'retryLimit'>): number {
  return entry.connection.retries ?? definition.retryLimit ?? DEFAULT_RETRIES;
}

const DEFAULT_RETRIES = 2;

/**
 * Builds every enabled partner of the memorandum. All configuration mistakes are collected and
 * thrown together as one MemorandumError naming the file, the partner and the field.
 */
/** Default cache lifetimes by kind of data, in seconds: a person's records are short-lived, extracts last the day. */
const DEFAULT_TTL_SECONDS = { records: 60, extracts: 86_400 };

export function createPartners(options: CreatePartnersOptions): Partner[] {
  const file = options.file ?? 'memorandum.yaml';
  const store = options.store ?? createMemoryStore();
  const hash = options.hash ?? createKeyedHash();
  const problems: string[] = [];
  const partners: Partner[] = [];

  options.memorandum.partners.forEach((entry, index) => {
    if (!entry.enabled) return;
    if (options.domains && !options.domains.includes(entry.domain as Domain)) return;
    const at = (...field: PropertyKey[]) => ['partners', index, ...field];
    const problem = (field: PropertyKey[], message: string) => problems.push(...issuesToProblems(file, [{ path: at(...field), message } as never]));

    const definition = options.adapters[entry.adapter];
    if (!definition) return problem(['adapter'], `no adapter "${entry.adapter}": adapters/${entry.adapter}/index.ts must default-export defineAdapter({ name: '${entry.adapter}', … })`);
    if (definition.domain !== entry.domain) return problem(['domain'], `adapter "${entry.adapter}" serves ${definition.domain}, not ${entry.domain}`);

    const parsedOptions = definition.options.safeParse(entry.options);
    if (!parsedOptions.success) return void problems.push(...issuesToProblems(file, parsedOptions.error.issues, at('options')));

    const secrets: Record<string, string> = {};
    for (const name of definition.credentials) {
      const variable = entry.connection.credentials[name];
      if (!variable) { problem(['connection', 'credentials', name], `missing: adapter "${entry.adapter}" needs it`); continue; }
      const value = options.env[variable];
      if (!value) { problem(['connection', 'credentials', name], `environment variable ${variable} is not set`); continue; }
      secrets[name] = value;
    }
    if (Object.keys(secrets).length !== definition.credentials.length) return;

    const ref: PartnerRef = { id: entry.id, name: entry.name };
    const log = options.log.child({ partner: entry.id });
    const { connection } = entry;
    const ttlSeconds = { ...DEFAULT_TTL_SECONDS, ...definition.cacheTtlSeconds, ...connection.cacheTtlSeconds };
    const ttlMs = Object.fromEntries(Object.entries(ttlSeconds).map(([k, seconds]) => [k, seconds * 1000]));
    const { http, breaker } = createAdapterHttp({
      entry, definition, log, store, metrics: options.metrics, statusBoard: options.statusBoard,
      baseUrl: options.baseUrls?.[entry.id], quotaNow: options.quotaNow,
    });
    const adapterOps = definition.create({
      partner: ref,
      options: parsedOptions.data,
      secrets,
      ttlMs,
      http,
      cache: observedCache(createPartnerCache({ keyv: store.keyv(`partner:${entry.id}`), clock: options.clock }), entry.id, options.metrics),
      log,
      clock: options.clock,
    });
    const resilience = {
      partnerId: entry.id, keyv: store.keyv(`partner-data:${entry.id}`), hash, clock: options.clock, log, metrics: options.metrics,
      deadlineMs: connection.timeoutMs, recordsTtlMs: ttlMs.records, extractsTtlMs: ttlMs.extracts, maxStaleMs: connection.maxStaleSeconds * 1000,
    };
    const ops = tracedOperations(withResilience(entry.domain as Domain, adapterOps, resilience), entry.id);
    partners.push({
      ref, entry, domain: entry.domain as Domain, maxBatchSize: definition.maxBatchSize, ops, adapterOps, breaker,
      issuedExtract: (subject) => issuedExtract(resilience, subject),
    });
  });

  if (problems.length) throw new MemorandumError(problems);
  return partners;
}
