import type { z } from 'zod';
import type { Domain, PartnerRef, Tariff } from '../../domain/model.js';
import type { DomainOperations } from './contract.js';
import type { PartnerHttp } from './http.js';
import type { PartnerCache } from './cache.js';
import type { Logger } from '../../platform/logger.js';
import type { Clock } from '../../platform/clock.js';

/** Everything an adapter does I/O with is handed in; an adapter imports no singletons. */
export interface AdapterContext<Options> {
  partner: PartnerRef;
  /** The adapter's own options from the memorandum entry, already validated by its schema. */
  options: Options;
  /** Credentials by name, read from the environment variables the memorandum names. */
  secrets: Readonly<Record<string, string>>;
  /** Cache lifetimes by kind of data, in ms (memorandum `cacheTtlSeconds`, defaults applied). */
  ttlMs: Readonly<Record<string, number>>;
  http: PartnerHttp;
  cache: PartnerCache;
  /** A child logger bound to the partner: log status and latency, never bodies or personal data. */
  log: Logger;
  clock: Clock;
}

export interface AdapterDefinition<D extends Domain, S extends z.ZodType> {
  /** The adapter's name, as the memorandum's `adapter:` field refers to it. */
  name: string;
  domain: D;
  description: string;
  /** Schema of the entry's `options:` block; its errors name the field path. */
  options: S;
  /** Credentials the adapter needs, by name (the memorandum maps each to an environment variable). */
  credentials: readonly string[];
  /** Default cache lifetimes in seconds by kind of data (e.g. tariffs). */
  cacheTtlSeconds: Readonly<Record<string, number>>;
  /** Most keys one call to the partner may carry; 1 for partners without a batch call. */
  maxBatchSize: number;
  /**
   * Retries of an idempotent call after a transient failure (failure.ts: 5xx, 408, connection
   * failures; a 429 after its Retry-After), when the memorandum entry sets no `connection.retries`
   * (default 2). Calls with `idempotent: false` (issuing an extract) are never retried.
   */
  retryLimit?: number;
  create(context: AdapterContext<z.infer<S>>): DomainOperations[D];
}

/** Declares an adapter. The identity function gives the definition its checked type. */
export function defineAdapter<D extends Domain, S extends z.ZodType>(definition: AdapterDefinition<D, S>): AdapterDefinition<D, S> {
  return definition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapterDefinition = AdapterDefinition<Domain, any>;

const DEFAULT_TARIFF_TTL_MS = 3_600_000;

/**
 * A utility adapter's `tariffs` operation: the partner's published tariffs, loaded by `load` and
 * cached across requests under `tariffs` for the memorandum's TTL (an hour by default).
 */
export function cachedTariffs(context: Pick<AdapterContext<unknown>, 'cache' | 'ttlMs'>, load: () => Promise<Tariff[]>): () => Promise<Tariff[]> {
  return async () => (await context.cache.getOrLoad('tariffs', context.ttlMs.tariffs ?? DEFAULT_TARIFF_TTL_MS, load)).value;
}
