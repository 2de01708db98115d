import { Gauge, type Registry } from 'prom-client';
import { registered } from './metrics.js';

/** In-process counters of the shared store since start (platform/redis-guard.ts keeps them). */
export interface StoreStats {
  /** Commands sent to Redis. */
  commands: number;
  /** Commands that failed; each was a miss or a dropped write. */
  errors: number;
  /** Commands not answered within the bound; each was a miss or a dropped write. */
  timeouts: number;
  /** Operations that were a miss (or a dropped write) without asking Redis, as it was unavailable. */
  skipped: number;
  /** Times Redis became unavailable. */
  outages: number;
  degraded: boolean;
}

/**
 * The shared store's health at every scrape: its operations that failed, timed out or were skipped
 * while Redis was unavailable (each a miss or a dropped write), its outages, and whether it is
 * degraded now. Read from the store's own counters, so the cache code needs no metrics of its own.
 */
export function watchStore(registry: Registry, kind: 'memory' | 'redis', stats: () => StoreStats): void {
  const operations = registered(registry, 'vikno_shared_store_operations', () => new Gauge({
    name: 'vikno_shared_store_operations', help: 'Operations of the shared cache store since start, by result: sent, error, timeout, skipped (Redis unavailable)',
    labelNames: ['store', 'result'], registers: [registry],
    collect() {
      const s = stats();
      for (const [result, value] of [['sent', s.commands], ['error', s.errors], ['timeout', s.timeouts], ['skipped', s.skipped]] as const) {
        this.set({ store: kind, result }, value);
      }
    },
  }));
  const outages = registered(registry, 'vikno_shared_store_outages', () => new Gauge({
    name: 'vikno_shared_store_outages', help: 'Times since start the shared store (Redis) became unavailable', labelNames: ['store'], registers: [registry],
    collect() { this.set({ store: kind }, stats().outages); },
  }));
  const degraded = registered(registry, 'vikno_shared_store_degraded', () => new Gauge({
    name: 'vikno_shared_store_degraded', help: '1 while the shared store (Redis) is unavailable and every read is a miss', labelNames: ['store'], registers: [registry],
    collect() { this.set({ store: kind }, stats().degraded ? 1 : 0); },
  }));
  void operations; void outages; void degraded;
}
