import { readFileSync } from 'node:fs';
import type { Domain } from '../../domain/model.js';
import type { AdapterDefinition } from '../../adapters/core/define-adapter.js';
import type { DomainOperations } from '../../adapters/core/contract.js';
import type { PartnerHttp } from '../../adapters/core/http.js';
import type { PartnerBreaker } from '../../adapters/core/breaker.js';
import { createAdapterHttp, retriesOf } from '../../adapters/core/partners.js';
import { createPartnerCache } from '../../adapters/core/cache.js';
import { fixedClock, type Clock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { createMemoryStore, type SharedStore } from '../../platform/store.js';
import { connectionSchema, DEFAULT_MEMORANDUM_FILE, parseMemorandum, type PartnerEntry } from '../../domain/memorandum.js';
import type { z } from 'zod';

/**
 * Builds an adapter exactly as adapters/core/partners.ts does from its memorandum entry
 * (createAdapterHttp: the entry's deadline, retries, quota and circuit breaker), for tests against
 * nock or an emulator. The logger is a real pino logger (the production one, redaction included)
 * writing into memory, so a test can check what was logged.
 */
export interface HarnessOptions {
  baseUrl: string;
  secrets?: Record<string, string>;
  /** The adapter's `options:` block; parsed with the adapter's schema. */
  options?: unknown;
  /** Replaces the memorandum's timeoutMs (the partner's deadline). */
  timeoutMs?: number;
  /** Replaces the memorandum's retries (default: the memorandum's, else the adapter's retryLimit, else 2). */
  retries?: number;
  /** The fixed time the clock reads (ISO). */
  now?: string;
  /** A clock of the test's own (one it moves), instead of the fixed one. */
  clock?: Clock;
  /** Where the logged lines go (default: a list of the harness's own, read by logs()). */
  logLines?: string[];
  /** Overrides of the adapter's default cache lifetimes, in seconds. */
  cacheTtlSeconds?: Record<string, number>;
  /** Shared cache store, to check caching across adapter instances. */
  cacheStore?: Map<unknown, unknown>;
  /** Wraps the real http client, e.g. to count calls in flight. */
  wrapHttp?: (http: PartnerHttp) => PartnerHttp;
  /**
   * The retries' backoff jitter draw, in [0, 1) (default 0: a retry after a 5xx goes at once;
   * production draws Math.random and waits up to 100, 200 … ms). A 429's Retry-After and the
   * quota's pacing are waited as in production.
   */
  random?: () => number;
}

export interface Harness<D extends Domain> {
  ops: DomainOperations[D];
  clock: Clock;
  breaker: PartnerBreaker;
  /** What the status board was told of each call: true for a success, false for a failure. */
  outcomes: boolean[];
  /** Every line logged so far (JSON, as pino wrote it). */
  logs(): string[];
}

export const TEST_NOW = '2026-11-05T09:30:00.000Z';

let memorandum: PartnerEntry[] | undefined;
/** The memorandum's entry for the adapter, if the memorandum has one (the first that uses it). */
function entryOf(adapter: string): PartnerEntry | undefined {
  memorandum ??= parseMemorandum(readFileSync(DEFAULT_MEMORANDUM_FILE, 'utf8')).partners;
  return memorandum.find((p) => p.adapter === adapter);
}

/** One store per shared Map, as replicas of one process share one store. */
const stores = new WeakMap<Map<unknown, unknown>, SharedStore>();
function storeOf(map: Map<unknown, unknown> | undefined): SharedStore {
  if (!map) return createMemoryStore();
  let store = stores.get(map);
  if (!store) stores.set(map, (store = createMemoryStore()));
  return store;
}

export function buildAdapter<D extends Domain, S extends z.ZodType>(
  definition: AdapterDefinition<D, S>,
  options: HarnessOptions,
): Harness<D> {
  const partnerId = definition.name;
  const clock = options.clock ?? fixedClock(options.now ?? TEST_NOW);
  const lines: string[] = options.logLines ?? [];
  const log = createLogger({ level: 'debug', service: 'adapter-test', destination: { write: (line: string) => void lines.push(line) } })
    .child({ partner: partnerId });
  const known = entryOf(definition.name);
  const connection = connectionSchema.parse({
    ...(known ? { timeoutMs: known.connection.timeoutMs, retries: known.connection.retries, quota: known.connection.quota, breaker: known.connection.breaker } : {}),
    baseUrl: options.baseUrl,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  });
  const entry = {
    ...(known ?? { name: partnerId, edrpou: '00000000', region: 'test', joined: '2026-01-01', enabled: true, options: {} }),
    id: partnerId, adapter: definition.name, domain: definition.domain, connection,
  } as PartnerEntry;
  const outcomes: boolean[] = [];
  const store = storeOf(options.cacheStore);
  const { http, breaker } = createAdapterHttp({
    entry, definition, log, store, random: options.random ?? (() => 0),
    statusBoard: { record: (_id, ok) => void outcomes.push(ok), setCircuit: () => undefined, read: () => Promise.reject(new Error('not in tests')) },
  });
  const ttlSeconds = { ...definition.cacheTtlSeconds, ...options.cacheTtlSeconds };
  const ops = definition.create({
    partner: { id: partnerId, name: partnerId },
    options: definition.options.parse(options.options ?? {}),
    secrets: options.secrets ?? {},
    ttlMs: Object.fromEntries(Object.entries(ttlSeconds).map(([k, s]) => [k, s * 1000])),
    http: options.wrapHttp ? options.wrapHttp(http) : http,
    cache: createPartnerCache({ keyv: store.keyv(`partner:${partnerId}`), clock }),
    log,
    clock,
  });
  return { ops, clock, breaker, outcomes, logs: () => [...lines] };
}

/** A call context for tests: the state registries refuse a call that names no official or purpose. */
export const CALL = { requestId: 'test-request', officialId: 'test-official', purpose: 'TEST-001' } as const;

/** How many times the core asks the partner for an idempotent call that keeps failing transiently: the first attempt and the memorandum's retries. */
export function attemptsOf(definition: Pick<AdapterDefinition<Domain, z.ZodType>, 'name' | 'retryLimit'>): number {
  const entry = entryOf(definition.name);
  return 1 + (entry ? retriesOf(entry, definition) : definition.retryLimit ?? 2);
}
