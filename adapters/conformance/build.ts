import { Writable } from 'node:stream';
import type { AnyAdapterDefinition } from '../core/define-adapter.js';
import type { Clock } from '../../platform/clock.js';
import { createLogger, type Logger } from '../../platform/logger.js';
import type { PartnerEntry } from '../../domain/memorandum.js';
import { createMemoryStore, storeOverMap, type SharedStore } from '../../platform/store.js';
import { createPartners, type Partner } from '../core/partners.js';

/** Every line the adapters under check logged, kept in memory for the "nothing personal" check. */
export interface CapturedLog {
  logger: Logger;
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  // Every level: nothing an adapter logs may hold personal data, not even at trace.
  return { logger: createLogger({ level: 'trace', destination, service: 'partner-check' }), lines };
}

export interface BuildOptions {
  entry: PartnerEntry;
  adapter: AnyAdapterDefinition;
  /** Where the adapter is pointed: the fault proxy. */
  baseUrl: string;
  timeoutMs: number;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  clock: Clock;
  /** The cache store (default: a fresh one, so caching hides no fault); the over-time checks give their own. */
  store?: SharedStore;
  /** Keeps the circuit closed, for checks that make many failing calls on one adapter and then expect it to recover. */
  noBreaker?: boolean;
}

/**
 * Builds the adapter under check through the real core, as the subgraphs get it: a one-entry
 * memorandum pointed at the proxy, and a cache store of its own so caching hides no fault.
 * A configuration mistake (a credential variable not set…) throws MemorandumError.
 */
export function buildPartner(options: BuildOptions): Partner {
  const { entry } = options;
  const memorandum = {
    partners: [{
      ...entry,
      enabled: true,
      connection: {
        ...entry.connection, baseUrl: options.baseUrl, timeoutMs: options.timeoutMs,
        ...(options.noBreaker ? { breaker: { failures: 100, halfOpenAfterSeconds: 0 } } : {}),
      },
    }],
  };
  const [partner] = createPartners({
    memorandum,
    adapters: { [entry.adapter]: options.adapter },
    env: options.env,
    log: options.log,
    clock: options.clock,
    store: options.store ?? createMemoryStore(),
  });
  return partner;
}

/** A clock the suite moves forward by hand. */
export interface ScriptedClock extends Clock {
  advance(ms: number): void;
}

export function scriptedClock(start: Date): ScriptedClock {
  let at = start.getTime();
  return { now: () => new Date(at), advance: (ms) => void (at += ms) };
}

/**
 * A memory store whose entries expire by the suite's clock rather than by the wall clock, so the
 * over-time checks see what a cache holds after an hour without waiting one. Keyv keeps a value's
 * wall-clock expiry inside it; here it is moved onto the scripted clock when the value is written.
 */
export function scriptedStore(clock: Clock): SharedStore {
  const entries = new Map<string, { value: unknown; expiresAt: number | null }>();
  const now = () => clock.now().getTime();
  const map = {
    get(key: string) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt !== null && now() >= entry.expiresAt) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key: string, value: unknown) {
      const expires = (value as { expires?: unknown } | null)?.expires;
      entries.set(key, { value, expiresAt: typeof expires === 'number' ? now() + Math.max(0, expires - Date.now()) : null });
      return true;
    },
    delete: (key: string) => entries.delete(key),
    clear: () => entries.clear(),
    has: (key: string) => map.get(key) !== undefined,
  };
  return storeOverMap(map);
}
