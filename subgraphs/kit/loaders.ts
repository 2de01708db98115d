import DataLoader from 'dataloader';
import type { BatchResult } from '../../adapters/core/contract.js';
import type { Partner } from '../../adapters/core/partners.js';

/**
 * Per-request DataLoaders, one per partner and operation, created on first use. They batch the
 * keys one plan step asks for into as few partner calls as the partner's protocol allows, and
 * de-duplicate repeated keys within the request.
 */
export interface Loaders {
  get<V>(partner: Partner, operation: string, batch: (keys: readonly string[]) => Promise<BatchResult<V>>): DataLoader<string, V>;
}

export function createLoaders(): Loaders {
  const loaders = new Map<string, DataLoader<string, unknown>>();
  return {
    get<V>(partner: Partner, operation: string, batch: (keys: readonly string[]) => Promise<BatchResult<V>>) {
      const id = `${partner.ref.id}:${operation}`;
      let loader = loaders.get(id) as DataLoader<string, V> | undefined;
      if (!loader) {
        // A partner without a batch call (maxBatchSize 1) gets all keys at once and bounds its own
        // concurrency; otherwise each batch carries at most what the partner accepts per call.
        loader = new DataLoader<string, V>(batch, { maxBatchSize: partner.maxBatchSize > 1 ? partner.maxBatchSize : Infinity });
        loaders.set(id, loader as DataLoader<string, unknown>);
      }
      return loader;
    },
  };
}
