import { createClient } from '@keyv/redis';
import type { RedisEval } from './lookup-limiter.js';

/**
 * The Redis connection the look-up limit shares across gateway replicas. Commands fail at once while
 * it is disconnected (no offline queue), so the limiter falls back to this replica's own window
 * instead of waiting; it reconnects by itself.
 */
export async function connectLimitRedis(url: string): Promise<{ redis: RedisEval; close(): Promise<void> }> {
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(retries * 200, 2000) } });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`REDIS_URL: cannot connect to Redis (${(error as Error).message})`);
  }
  return {
    redis: { eval: (script, options) => client.eval(script, options) as Promise<unknown> },
    close: async () => { await client.quit().catch(() => undefined); },
  };
}
