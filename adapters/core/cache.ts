import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type { Clock } from './clock.js';

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
  /** The partner's own namespace of the shared store (adapters/core/store.ts)… */
  keyv?: Keyv<unknown>;
  /** …or a store and a namespace to make one from (a fresh Map when neither is given). */
  store?: KeyvStoreAdapter | Map<unknown, unknown>;
  namespace?: string;
  clock: Clock;
}

interface Entry<T> {
  value: T;
  fetchedAt: string;
}

export function createPartnerCache(options: PartnerCacheOptions): PartnerCache {
  const keyv = (options.keyv ?? new Keyv({ store: options.store ?? new Map(), namespace: options.namespace })) as Keyv<Entry<unknown>>;
  const inFlight = new Map<string, Promise<Cached<unknown>>>();

  async function loadAndStore<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<Cached<T>> {
    const value = await load();
    const fetchedAt = options.clock.now().toISOString();
    await keyv.set(key, { value, fetchedAt }, ttlMs).catch(() => undefined); // a failing cache must not fail the call
    return { value, fetchedAt, hit: false };
  }

  return {
    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<Cached<T>> {
      const entry = (await keyv.get(key).catch(() => undefined)) as Entry<T> | undefined;
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
