import Keyv, { type KeyvEntry } from 'keyv';
import { LRUCache } from 'lru-cache';
import KeyvRedis from '@keyv/redis';
import { closeRedis, connectRedis } from './redis.js';
import type { Logger } from './logger.js';
import { createRedisGuard, type RedisGuard, type StoreEvent, type StoreState, type StoreStats } from './redis-guard.js';
import { createValueSeal, type ValueSeal } from './value-seal.js';

export { STORE_TIMEOUT_MS, type StoreEvent, type StoreState, type StoreStats } from './redis-guard.js';

/**
 * Where caches and the partners' status board keep their data: in process memory by default, in
 * Redis when a URL is given so that replicas share it. Each user gets a Keyv of its own namespace.
 * In Redis every value is sealed (value-seal.ts: AES-256-GCM under a key derived from
 * CACHE_KEY_SECRET) — people's records and extracts stay there for up to a day — and keys are the
 * callers' keyed hashes, so Redis holds nothing readable about anyone.
 */
export interface SharedStore {
  kind: 'memory' | 'redis';
  keyv<T>(namespace: string): Keyv<T>;
  /**
   * Runs a Lua script on the shared Redis (absent in memory): for what replicas must update in one
   * step, such as a partner's call quota (quota.ts). Keys and arguments hold nothing personal.
   */
  eval?(script: string, keys: string[], args: string[]): Promise<unknown>;
  /**
   * 'degraded' while Redis cannot be used: every cache operation is then a miss or a dropped write,
   * at once, and answers flow without a shared cache (platform/redis-guard.ts). Memory: 'up'.
   */
  state(): StoreState;
  /** Counters since start: commands, errors, timeouts, operations skipped, outages. */
  stats(): StoreStats;
  close(): Promise<void>;
}

/**
 * How many entries the in-memory store keeps (all namespaces together); the least recently used go
 * first. Without a bound a day of stale copies grows without end: a person's records at one partner
 * are tens of kilobytes. Redis is the store for more.
 */
export const DEFAULT_MEMORY_ENTRIES = 2_000;

export function createMemoryStore(options: { maxEntries?: number } = {}): SharedStore {
  // One LRU map for all namespaces: Keyv prefixes keys with the namespace itself for a map. Values
  // are kept as objects, not serialised (nobody mutates a cached value; serialising cost CPU and
  // held every entry as a chain of concatenated strings).
  const lru = new LRUCache<string, object>({ max: options.maxEntries ?? DEFAULT_MEMORY_ENTRIES });
  // Keyv hands a map's set() its ttl as a third argument, which LRUCache reads as options (and then
  // stores nothing): Keyv keeps the expiry inside the value anyway, so only (key, value) is passed on.
  const map = {
    get: (key: string) => lru.get(key),
    set: (key: string, value: object) => { lru.set(key, value); return true; },
    delete: (key: string) => lru.delete(key),
    clear: () => lru.clear(),
    has: (key: string) => lru.has(key),
  };
  return storeOverMap(map);
}

/** The operations of a Map that Keyv uses as its store (values kept as they are, not serialised). */
export interface KeyvMap {
  get(key: string): unknown;
  set(key: string, value: never): boolean;
  delete(key: string): boolean;
  clear(): void;
  has(key: string): boolean;
}

/** A process-local store over one map for all namespaces (Keyv prefixes keys with the namespace). */
export function storeOverMap(map: KeyvMap): SharedStore {
  return {
    kind: 'memory',
    keyv: <T>(namespace: string) => new Keyv<T>({ store: map, namespace, serialize: undefined, deserialize: undefined }),
    state: () => 'up',
    stats: () => ({ commands: 0, errors: 0, timeouts: 0, skipped: 0, outages: 0, degraded: false }),
    close: async () => undefined,
  };
}

export interface RedisStoreOptions {
  /** Replicas sharing Redis must share it: their values are sealed under a key derived from it. */
  cacheKeySecret: string;
  /** Where a value that fails to open is reported (once per namespace, never with the value), and Redis going away and coming back. */
  log: Logger;
  /** The bound on each cache operation, after which it is a miss (default STORE_TIMEOUT_MS, 50 ms). */
  timeoutMs?: number;
  /** How long to wait for Redis at start before failing naming REDIS_URL (default 5 s). */
  startTimeoutMs?: number;
  /** Every error, timeout and change of state, for metrics. */
  onEvent?: (event: StoreEvent) => void;
}

/**
 * A Redis adapter whose values are sealed on the way in and opened on the way out. A value that
 * does not open (changed, copied from another key, or sealed under another secret) is a miss.
 * Every operation runs through the guard: bounded, and a miss while Redis is unavailable.
 */
class SealedRedis extends KeyvRedis<string> {
  constructor(client: unknown, private readonly valueSeal: ValueSeal, private readonly onFailure: (namespace: string) => void, private readonly guard: RedisGuard) {
    super(client as never);
    // Failures reach the guard, which counts them and makes them misses.
    this.throwOnErrors = true;
    this.on('error', () => undefined);
  }

  private context(key: string): string {
    return this.createKeyPrefix(key, this.namespace);
  }

  private opened(key: string, sealed: string | undefined): string | undefined {
    if (sealed === undefined) return undefined;
    const value = this.valueSeal.open(this.context(key), sealed);
    if (value === undefined) this.onFailure(this.namespace ?? '');
    return value;
  }

  override async get<U = string>(key: string): Promise<U | undefined> {
    return this.guard.run(async () => this.opened(key, await super.get<string>(key)) as U | undefined, undefined);
  }

  override async getMany<U = string>(keys: string[]): Promise<Array<U | undefined>> {
    return this.guard.run(async () => {
      const values = await super.getMany<string>(keys);
      return values.map((value, i) => this.opened(keys[i], value)) as Array<U | undefined>;
    }, keys.map(() => undefined));
  }

  override async set(key: string, value: string, ttl?: number): Promise<void> {
    return this.guard.run(() => super.set(key, this.valueSeal.seal(this.context(key), value), ttl), undefined);
  }

  override async setMany(entries: KeyvEntry[]): Promise<void> {
    return this.guard.run(
      () => super.setMany(entries.map((entry) => ({ ...entry, value: this.valueSeal.seal(this.context(entry.key), String(entry.value)) }))),
      undefined,
    );
  }

  override async has(key: string): Promise<boolean> {
    return this.guard.run(() => super.has(key), false);
  }

  override async delete(key: string): Promise<boolean> {
    return this.guard.run(() => super.delete(key), false);
  }
}

export async function createRedisStore(url: string, options: RedisStoreOptions): Promise<SharedStore> {
  const valueSeal = createValueSeal(options.cacheKeySecret);
  // Once per namespace: after a secret is changed every old value fails, and one line says so.
  const reported = new Set<string>();
  const onFailure = (namespace: string) => {
    if (reported.has(namespace)) return;
    reported.add(namespace);
    options.log.warn({ namespace }, 'a cached value failed authentication (changed, or written under another CACHE_KEY_SECRET): treated as a miss');
  };
  // No offline queue, reconnects by itself; fails within startTimeoutMs naming REDIS_URL (platform/redis.ts).
  const client = await connectRedis(url, { startTimeoutMs: options.startTimeoutMs });
  // Each namespace's adapter listens to the one connection's events: a fixed number, set at start-up.
  client.setMaxListeners(100);
  const guard = createRedisGuard({ client, log: options.log, timeoutMs: options.timeoutMs, onEvent: options.onEvent });
  return {
    kind: 'redis',
    // A Keyv sets its namespace on its store, so each namespace gets an adapter of its own over one connection.
    keyv: <T>(namespace: string) => new Keyv<T>({ store: new SealedRedis(client, valueSeal, onFailure, guard), namespace, useKeyPrefix: false }),
    eval: (script, keys, args) => client.eval(script, { keys, arguments: args }) as Promise<unknown>,
    state: guard.state,
    stats: guard.stats,
    close: async () => {
      guard.close();
      await closeRedis(client);
    },
  };
}

/** Redis with a URL (then `cacheKeySecret` and `log` are required), process memory otherwise. */
export async function createSharedStore(redisUrl: string | undefined, options: Partial<RedisStoreOptions> = {}): Promise<SharedStore> {
  if (!redisUrl) return createMemoryStore();
  const { cacheKeySecret, log } = options;
  if (!cacheKeySecret) throw new Error('CACHE_KEY_SECRET: must be set with REDIS_URL, the same on every replica sharing the cache');
  if (!log) throw new TypeError('createSharedStore: a log is required with Redis');
  return createRedisStore(redisUrl, { ...options, cacheKeySecret, log });
}
