import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { orFallback } from '../../platform/bound.js';
import type { Clock } from '../../platform/clock.js';
import { STORE_BACKSTOP_MS } from '../../platform/redis-guard.js';

/** What an adapter gets back from its cache: the value and when it was fetched from the partner. */
export interface Cached<T> {
  value: T;
  fetchedAt: string;
  /** True when the value came from the cache rather than from this call. */
  hit: boolean;
}

export interface PartnerCache {
  /**
   * Returns the cached value under `key` if younger than `ttlMs`, otherwise runs `load` and caches
   * its result. Callers that miss together share one `load` (no burst of identical partner calls).
   * A failing `load` is never cached. Keys must hold no personal data.
   */
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<Cached<T>>;
}

export interface PartnerCacheOptions {
  /** The partner's own namespace of the shared store (platform/store.ts)… */
  keyv?: Keyv<unknown>;
  /** …or a store and a namespace to make one from (a fresh Map when neither is given). */
  store?: KeyvStoreAdapter | Map<unknown, unknown>;
  namespace?: string;
  clock: Clock;
  /**
   * A cache never holds up a call for long: a read or write not done within this is a miss or a
   * dropped write. The shared store bounds its own operations tighter (50 ms; platform/redis-guard.ts);
   * this (default 500 ms) is the backstop for a store that does not.
   */
  timeoutMs?: number;
}

interface Entry<T> {
  value: T;
  fetchedAt: string;
}

export function createPartnerCache(options: PartnerCacheOptions): PartnerCache {
  const keyv = (options.keyv ?? new Keyv({ store: options.store ?? new Map(), namespace: options.namespace })) as Keyv<Entry<unknown>>;
  const inFlight = new Map<string, Promise<Cached<unknown>>>();
  const timeoutMs = options.timeoutMs ?? STORE_BACKSTOP_MS;

  async function loadAndStore<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<Cached<T>> {
    const value = await load();
    const fetchedAt = options.clock.now().toISOString();
    await orFallback(keyv.set(key, { value, fetchedAt }, ttlMs), timeoutMs, false); // a failing cache must not fail the call
    return { value, fetchedAt, hit: false };
  }

  return {
    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<Cached<T>> {
      const entry = (await orFallback(keyv.get(key), timeoutMs, undefined)) as Entry<T> | undefined;
      if (entry) return { value: entry.value, fetchedAt: entry.fetchedAt, hit: true };
      let pending = inFlight.get(key) as Promise<Cached<T>> | undefined;
      if (!pending) {
        pending = loadAndStore(key, ttlMs, load).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}
