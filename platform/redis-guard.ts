import { TIMED_OUT, within } from './bound.js';
import type { StoreStats } from './store-metrics.js';
import type { RedisClient } from './redis.js';
import type { Logger } from './logger.js';

/**
 * Keeps Redis from ever holding up an answer. Every command has a short bound and is then a miss
 * (or a dropped write). A failed command (connection lost or refused), or a few timeouts in a row
 * (Redis hanging; one late answer on a busy machine is not an outage), marks Redis unavailable,
 * logged once; from then on operations are misses at once, without asking it, until a probe
 * (every second, and as soon as the client reconnects) gets an answer again, logged once more.
 * Caches and the status board are advisory: without Redis a process goes without a shared cache.
 */

/** The bound on every cache and status-board operation in Redis. */
export const STORE_TIMEOUT_MS = 50;
/**
 * Where a cache or the status board cuts off a store that does not bound its own operations (the
 * shared store bounds its own, at STORE_TIMEOUT_MS by default; this must not undercut it).
 */
export const STORE_BACKSTOP_MS = 500;
const PROBE_INTERVAL_MS = 1000;
const PROBE_TIMEOUT_MS = 1000;
/** Timeouts in a row that make Redis unavailable (each one is a miss already). */
const TIMEOUTS_TO_DEGRADE = 3;

export type StoreState = 'up' | 'degraded';
export type StoreEvent = 'error' | 'timeout' | 'degraded' | 'recovered';

export type { StoreStats };

export interface RedisGuard {
  /** Runs `command` within the bound; `fallback` (a miss) on failure, timeout or while Redis is unavailable. */
  run<T>(command: () => Promise<T>, fallback: T): Promise<T>;
  state(): StoreState;
  stats(): StoreStats;
  close(): void;
}

export interface RedisGuardOptions {
  client: Pick<RedisClient, 'isReady' | 'ping' | 'on'>;
  log: Logger;
  /** Default STORE_TIMEOUT_MS. */
  timeoutMs?: number;
  probeIntervalMs?: number;
  /** Called on every error, timeout and change of state: a hook for metrics. */
  onEvent?: (event: StoreEvent) => void;
}

export function createRedisGuard(options: RedisGuardOptions): RedisGuard {
  const { client, log } = options;
  const timeoutMs = options.timeoutMs ?? STORE_TIMEOUT_MS;
  const counts = { commands: 0, errors: 0, timeouts: 0, skipped: 0, outages: 0 };
  let degraded = false;
  let closed = false;
  let probeTimer: NodeJS.Timeout | undefined;
  let probing = false;
  let timeoutsInARow = 0;
  const emit = (event: StoreEvent) => { try { options.onEvent?.(event); } catch { /* a metrics hook must not break a cache */ } };

  const recover = () => {
    if (!degraded || closed) return;
    degraded = false;
    timeoutsInARow = 0;
    clearInterval(probeTimer);
    probeTimer = undefined;
    log.info('Redis is back: the caches and the partners\' status board use it again');
    emit('recovered');
  };

  const probe = async () => {
    if (probing || closed || !client.isReady) return;
    probing = true;
    try {
      if ((await within(client.ping(), PROBE_TIMEOUT_MS)) !== TIMED_OUT) recover();
    } catch {
      // still unavailable: the next probe tries again
    } finally {
      probing = false;
    }
  };

  const degrade = (reason: string) => {
    if (degraded || closed) return;
    degraded = true;
    counts.outages += 1;
    log.warn({ reason }, 'Redis is unavailable: the caches and the partners\' status board go without it (reads are misses, writes are dropped) until it is back');
    emit('degraded');
    probeTimer = setInterval(() => void probe(), options.probeIntervalMs ?? PROBE_INTERVAL_MS);
    probeTimer.unref();
    // At once too: a command that was only slow this once is followed by a prompt recovery.
    void probe();
  };

  client.on('error', (error: Error) => degrade(error.message));
  client.on('end', () => degrade('the connection was closed'));
  client.on('ready', () => { if (degraded) void probe(); });

  return {
    async run(command, fallback) {
      if (closed) return fallback;
      if (degraded || !client.isReady) {
        counts.skipped += 1;
        degrade('not connected');
        return fallback;
      }
      counts.commands += 1;
      try {
        const result = await within(command(), timeoutMs);
        if (result !== TIMED_OUT) {
          timeoutsInARow = 0;
          return result;
        }
        counts.timeouts += 1;
        emit('timeout');
        timeoutsInARow += 1;
        if (timeoutsInARow >= TIMEOUTS_TO_DEGRADE) degrade(`no answer within ${timeoutMs} ms, ${timeoutsInARow} times in a row`);
      } catch (error) {
        counts.errors += 1;
        emit('error');
        degrade((error as Error).message);
      }
      return fallback;
    },
    state: () => (degraded ? 'degraded' : 'up'),
    stats: () => ({ ...counts, degraded }),
    close() {
      closed = true;
      clearInterval(probeTimer);
    },
  };
}
