import { closeRedis, connectRedis } from '../platform/redis.js';
import type { RedisEval } from './lookup-limiter.js';

/**
 * The Redis connection the look-up limit shares across gateway replicas. Commands fail at once while
 * it is disconnected (no offline queue), so the limiter falls back to this replica's own window
 * instead of waiting; it reconnects by itself. A start with Redis unreachable fails within 5 s
 * naming REDIS_URL (platform/redis.ts).
 */
export async function connectLimitRedis(url: string): Promise<{ redis: RedisEval; ready(): boolean; close(): Promise<void> }> {
  const client = await connectRedis(url);
  return {
    redis: { eval: (script, options) => client.eval(script, options) as Promise<unknown> },
    ready: () => client.isReady,
    close: () => closeRedis(client),
  };
}
