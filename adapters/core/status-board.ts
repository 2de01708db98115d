import type Keyv from 'keyv';
import type { CircuitStatus } from './breaker.js';
import type { Clock } from './clock.js';

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

export function createStatusBoard(options: { keyv: Keyv<unknown>; clock: Clock }): StatusBoard {
  const keyv = options.keyv as Keyv<Outcome[] | CircuitStatus>;
  // Writes for one partner are chained so concurrent outcomes are not lost to each other.
  const writing = new Map<string, Promise<void>>();
  return {
    record(partnerId, ok) {
      const at = options.clock.now().getTime();
      const previous = writing.get(partnerId) ?? Promise.resolve();
      const next = previous
        .then(async () => {
          const outcomes = ((await keyv.get(partnerId)) as Outcome[] | undefined) ?? [];
          await keyv.set(partnerId, [...outcomes, { at, ok }].filter((o) => at - o.at <= MAX_AGE_MS).slice(-WINDOW), MAX_AGE_MS);
        })
        .catch(() => undefined); // the board is advisory: a store hiccup must never fail a partner call
      writing.set(partnerId, next);
    },
    setCircuit(partnerId, state) {
      void keyv.set(`circuit:${partnerId}`, state).catch(() => undefined);
    },
    async read(partnerId) {
      await writing.get(partnerId);
      const [outcomes, circuit] = await Promise.all([
        keyv.get(partnerId).catch(() => undefined) as Promise<Outcome[] | undefined>,
        keyv.get(`circuit:${partnerId}`).catch(() => undefined) as Promise<CircuitStatus | undefined>,
      ]);
      return summarise(outcomes ?? [], options.clock.now().getTime(), circuit ?? 'CLOSED');
    },
  };
}
