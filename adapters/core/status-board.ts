import type Keyv from 'keyv';
import { orFallback } from '../../platform/bound.js';
import type { CircuitStatus } from './breaker.js';
import type { Clock } from '../../platform/clock.js';
import { STORE_BACKSTOP_MS, STORE_TIMEOUT_MS } from '../../platform/redis-guard.js';

/**
 * Each partner's live status, from the outcomes of recent calls. Domain subgraphs record every
 * call their adapters make; the centre reads the board to answer `partners`. The board lives in
 * the keyv store the caches use, so subgraphs in one process (or replicas sharing Redis) see one
 * board; nothing personal is stored, only counts and times.
 */

export type PartnerStatus = 'UP' | 'DEGRADED' | 'DOWN' | 'UNKNOWN';

export interface PartnerHealth {
  status: PartnerStatus;
  /** Calls in the window (the last WINDOW calls, none older than MAX_AGE_MS). */
  recentCalls: number;
  recentFailures: number;
  lastCallAt: string | null;
  lastFailureAt: string | null;
  /** The circuit breaker's state: OPEN means calls fail fast without reaching the partner. */
  circuit: CircuitStatus;
}

export interface StatusBoard {
  /** Records a call's outcome: `ok` is false when the partner failed, timed out or answered garbage. */
  record(partnerId: string, ok: boolean): void;
  /** Records the partner's circuit breaker state when it changes. */
  setCircuit(partnerId: string, state: CircuitStatus): void;
  read(partnerId: string): Promise<PartnerHealth>;
}

const WINDOW = 20;
const MAX_AGE_MS = 5 * 60_000;
/** This many failures in a row, with nothing good since, is DOWN. */
const DOWN_AFTER = 3;

interface Outcome {
  at: number;
  ok: boolean;
}

export function summarise(outcomes: readonly Outcome[], now: number, circuit: CircuitStatus = 'CLOSED'): PartnerHealth {
  const recent = outcomes.filter((o) => now - o.at <= MAX_AGE_MS).slice(-WINDOW);
  const failures = recent.filter((o) => !o.ok);
  const last = recent.at(-1);
  const lastFailure = failures.at(-1);
  const tail = recent.slice(-DOWN_AFTER);
  const status: PartnerStatus = circuit === 'OPEN' ? 'DOWN'
    : recent.length === 0 ? 'UNKNOWN'
    : tail.length === DOWN_AFTER && tail.every((o) => !o.ok) ? 'DOWN'
      : failures.length > 0 ? 'DEGRADED' : 'UP';
  return {
    status,
    recentCalls: recent.length,
    recentFailures: failures.length,
    lastCallAt: last ? new Date(last.at).toISOString() : null,
    lastFailureAt: lastFailure ? new Date(lastFailure.at).toISOString() : null,
    circuit,
  };
}

export interface StatusBoardOptions {
  keyv: Keyv<unknown>;
  clock: Clock;
  /**
   * How long a read waits for this process's writes before it (default 50 ms). Each store access is
   * bounded by the store itself (50 ms in Redis), and here at 500 ms for a store that does not.
   */
  timeoutMs?: number;
}

export function createStatusBoard(options: StatusBoardOptions): StatusBoard {
  const keyv = options.keyv as Keyv<Outcome[] | CircuitStatus>;
  // The board is advisory: a slow or absent store is an empty board, never a held-up call or answer.
  const timeoutMs = options.timeoutMs ?? STORE_TIMEOUT_MS;
  const load = <T>(key: string) => orFallback(keyv.get(key) as Promise<T | undefined>, STORE_BACKSTOP_MS, undefined);
  const save = (key: string, value: Outcome[] | CircuitStatus, ttl?: number) => orFallback(keyv.set(key, value, ttl), STORE_BACKSTOP_MS, false);
  // Writes for one partner are chained so concurrent outcomes are not lost to each other.
  const writing = new Map<string, Promise<void>>();
  return {
    record(partnerId, ok) {
      const at = options.clock.now().getTime();
      const previous = writing.get(partnerId) ?? Promise.resolve();
      const next = previous
        .then(async () => {
          const outcomes = (await load<Outcome[]>(partnerId)) ?? [];
          await save(partnerId, [...outcomes, { at, ok }].filter((o) => at - o.at <= MAX_AGE_MS).slice(-WINDOW), MAX_AGE_MS);
        })
        .catch(() => undefined); // the board is advisory: a store hiccup must never fail a partner call
      writing.set(partnerId, next);
    },
    setCircuit(partnerId, state) {
      void save(`circuit:${partnerId}`, state);
    },
    async read(partnerId) {
      // This process's own recent outcomes first, if the store takes them in time.
      await orFallback(writing.get(partnerId) ?? Promise.resolve(), timeoutMs, undefined);
      const [outcomes, circuit] = await Promise.all([load<Outcome[]>(partnerId), load<CircuitStatus>(`circuit:${partnerId}`)]);
      return summarise(outcomes ?? [], options.clock.now().getTime(), circuit ?? 'CLOSED');
    },
  };
}
