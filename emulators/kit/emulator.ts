import express, { type Express, type Request, type Response, type NextFunction } from 'express';

/**
 * Shared plumbing of the emulated partners: call counting (so tests and benchmarks can check how
 * often a partner was called) and injectable faults (latency, failures, outage).
 */

export interface Faults {
  /** Added to every answer, in ms. */
  latencyMs: number;
  /** Share of calls (0..1) answered with HTTP 500. */
  failRate: number;
  /** Every call answered with HTTP 503. */
  down: boolean;
}

export interface EmulatorStats {
  /** Calls received, health checks excluded. */
  calls: number;
  /** Calls by operation name (the route's label). */
  byOperation: Record<string, number>;
  reset(): void;
}

export interface Emulator {
  /** The partner this emulates, e.g. "gas". */
  name: string;
  app: Express;
  stats: EmulatorStats;
  faults: Faults;
}

export function createStats(): EmulatorStats {
  const stats: EmulatorStats = {
    calls: 0,
    byOperation: {},
    reset() {
      stats.calls = 0;
      stats.byOperation = {};
    },
  };
  return stats;
}

/**
 * An express app for an emulated partner. Routes register with `count(op)` as their first handler:
 * it counts the call under its operation and applies the injected faults before the route runs.
 */
export function createEmulatorApp(name: string, faults: Partial<Faults> = {}): Emulator & { count: (op: string) => express.RequestHandler } {
  const app = express();
  app.disable('x-powered-by');
  const stats = createStats();
  const state: Faults = { latencyMs: 0, failRate: 0, down: false, ...faults };

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', partner: name }));

  // Counting comes first so a call refused by an injected fault still counts as received.
  const count = (op: string) => (_req: Request, res: Response, next: NextFunction) => {
    stats.calls += 1;
    stats.byOperation[op] = (stats.byOperation[op] ?? 0) + 1;
    const go = () => {
      if (state.down) return void res.status(503).type('text/plain').send('Service Unavailable');
      if (state.failRate > 0 && Math.random() < state.failRate) return void res.status(500).type('text/plain').send('Internal Server Error');
      next();
    };
    if (state.latencyMs > 0) setTimeout(go, state.latencyMs);
    else go();
  };

  return { name, app, stats, faults: state, count };
}

/** What every emulator factory receives. */
export interface EmulatorOptions {
  population: import('../population/population.js').Population;
  /** The credentials the partner accepts, by the adapter's credential names (apiKey, token, …). */
  credentials: Readonly<Record<string, string>>;
  clock: import('../../adapters/core/clock.js').Clock;
  faults?: Partial<Faults>;
}

export type EmulatorFactory = (options: EmulatorOptions) => Emulator;
