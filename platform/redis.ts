import { createClient } from '@keyv/redis';

/** How long a process waits for Redis at start before it gives up naming REDIS_URL. */
export const REDIS_START_TIMEOUT_MS = 5000;

export type RedisClient = ReturnType<typeof createClient>;

/** Redis could not be reached at start: the message names REDIS_URL and where it points (never a password). */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

export interface ConnectRedisOptions {
  /** How long to keep trying at start (default REDIS_START_TIMEOUT_MS). */
  startTimeoutMs?: number;
}

/** host:port of a Redis URL, for messages (a URL may hold a password). */
export function redisAddress(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || 6379}`;
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * A node-redis client that never waits for Redis: with `disableOfflineQueue` a command sent while
 * the connection is down fails at once instead of queueing until Redis is back, and the client
 * reconnects by itself (every 0.2–2 s). node-redis would retry its first connection for ever, so a
 * start with an unreachable Redis fails after `startTimeoutMs` instead of hanging silently.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<RedisClient> {
  const startTimeoutMs = options.startTimeoutMs ?? REDIS_START_TIMEOUT_MS;
  const where = `REDIS_URL: cannot connect to Redis at ${redisAddress(url)}`;
  let client: RedisClient;
  try {
    client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(retries * 200, 2000) } });
  } catch (error) {
    throw new RedisUnavailableError(`${where} (${(error as Error).message})`);
  }
  let lastError: Error | undefined;
  // Without a listener an 'error' event would end the process; callers add their own to watch the connection.
  client.on('error', (error: Error) => { lastError = error; });
  let timer: NodeJS.Timeout | undefined;
  const connecting = client.connect();
  connecting.catch(() => undefined); // it may settle after the deadline below
  try {
    await Promise.race([
      connecting,
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no connection within ${startTimeoutMs / 1000} s`)), startTimeoutMs); }),
    ]);
    return client;
  } catch (error) {
    // Stops the reconnection attempts, which would otherwise keep the process alive.
    try { client.destroy(); } catch { /* never opened */ }
    // The connection's own error says why (refused, unknown host, auth); else it was the deadline.
    throw new RedisUnavailableError(`${where} within ${startTimeoutMs / 1000} s (${lastError?.message ?? (error as Error).message})`);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes politely (pending commands answered), but within `ms`: a Redis that does not answer is cut off. */
export async function closeRedis(client: RedisClient, ms = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const polite = client.close().then(() => true, () => false);
  const done = await Promise.race([polite, new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); })]);
  clearTimeout(timer);
  if (!done) {
    try { client.destroy(); } catch { /* closed already */ }
  }
}

/** Fails as connectRedis does when Redis cannot be reached at start; for a process to check before it opens anything else. */
export async function assertRedisReachable(url: string, options: ConnectRedisOptions = {}): Promise<void> {
  await closeRedis(await connectRedis(url, options));
}
