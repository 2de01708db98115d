import Keyv from 'keyv';
import KeyvRedis, { createClient } from '@keyv/redis';

/**
 * Where caches and the partners' status board keep their data: in process memory by default, in
 * Redis when a URL is given so that replicas share it. Each user gets a Keyv of its own namespace.
 */
export interface SharedStore {
  kind: 'memory' | 'redis';
  keyv<T>(namespace: string): Keyv<T>;
  close(): Promise<void>;
}

export function createMemoryStore(): SharedStore {
  // One Map for all namespaces: Keyv prefixes keys with the namespace itself for a Map.
  const map = new Map();
  return { kind: 'memory', keyv: <T>(namespace: string) => new Keyv<T>({ store: map, namespace }), close: async () => undefined };
}

export async function createRedisStore(url: string): Promise<SharedStore> {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(retries * 200, 2000) } });
  client.on('error', () => undefined); // reconnects on its own; callers treat a failing cache as a miss
  // Each namespace's adapter listens to the one connection's events: a fixed number, set at start-up.
  client.setMaxListeners(100);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`REDIS_URL: cannot connect to Redis (${(error as Error).message})`);
  }
  return {
    kind: 'redis',
    // A Keyv sets its namespace on its store, so each namespace gets an adapter of its own over one connection.
    keyv: <T>(namespace: string) => new Keyv<T>({ store: new KeyvRedis(client as never), namespace, useKeyPrefix: false }),
    close: async () => { await client.quit().catch(() => undefined); },
  };
}

export function createSharedStore(redisUrl: string | undefined): Promise<SharedStore> {
  return redisUrl ? createRedisStore(redisUrl) : Promise.resolve(createMemoryStore());
}
