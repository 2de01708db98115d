import type { Domain } from '../../domain/model.js';
import type { AdapterDefinition } from '../../adapters/core/define-adapter.js';
import type { DomainOperations } from '../../adapters/core/contract.js';
import { createPartnerHttp, type PartnerHttp } from '../../adapters/core/http.js';
import { createPartnerCache } from '../../adapters/core/cache.js';
import { fixedClock, type Clock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/logger.js';
import type { z } from 'zod';

/**
 * Builds an adapter with the real core pieces (http client, cache, clock, logger), as
 * adapters/core/partners.ts would from a memorandum entry, for tests against nock or an emulator.
 */
export interface HarnessOptions {
  baseUrl: string;
  secrets?: Record<string, string>;
  /** The adapter's `options:` block; parsed with the adapter's schema. */
  options?: unknown;
  timeoutMs?: number;
  /** The fixed time the clock reads (ISO). */
  now?: string;
  /** Overrides of the adapter's default cache lifetimes, in seconds. */
  cacheTtlSeconds?: Record<string, number>;
  /** Shared cache store, to check caching across adapter instances. */
  cacheStore?: Map<unknown, unknown>;
  /** Wraps the real http client, e.g. to count calls in flight. */
  wrapHttp?: (http: PartnerHttp) => PartnerHttp;
  /** Retries of idempotent reads (default the adapter's; production's default is 2). */
  retryLimit?: number;
}

export interface Harness<D extends Domain> {
  ops: DomainOperations[D];
  clock: Clock;
}

export const TEST_NOW = '2026-11-05T09:30:00.000Z';

export function buildAdapter<D extends Domain, S extends z.ZodType>(
  definition: AdapterDefinition<D, S>,
  options: HarnessOptions,
): Harness<D> {
  const partnerId = definition.name;
  const clock = fixedClock(options.now ?? TEST_NOW);
  const log = silentLogger();
  const ttlSeconds = { ...definition.cacheTtlSeconds, ...options.cacheTtlSeconds };
  const http = createPartnerHttp({
    partnerId,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs ?? 2000,
    retryLimit: options.retryLimit ?? definition.retryLimit,
    log,
  });
  const ops = definition.create({
    partner: { id: partnerId, name: partnerId },
    options: definition.options.parse(options.options ?? {}),
    secrets: options.secrets ?? {},
    ttlMs: Object.fromEntries(Object.entries(ttlSeconds).map(([k, s]) => [k, s * 1000])),
    http: options.wrapHttp ? options.wrapHttp(http) : http,
    cache: createPartnerCache({ store: options.cacheStore, namespace: `partner:${partnerId}`, clock }),
    log,
    clock,
  });
  return { ops, clock };
}

/** A call context for tests: the state registries refuse a call that names no official or purpose. */
export const CALL = { requestId: 'test-request', officialId: 'test-official', purpose: 'TEST-001' } as const;
