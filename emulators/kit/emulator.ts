import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import { ADMIN_PATH, createAdminRouter } from './admin.js';
import { createFaultControls, type HeldRequests } from './fault-controls.js';
import type { Faults } from './faults.js';

/**
 * Shared plumbing of the emulated partners: call counting (so tests and benchmarks can check how
 * often a partner was called), injectable faults (faults.ts, fault-controls.ts) and the loopback
 * admin endpoint that changes them at run time (admin.ts).
 */

export type { Faults } from './faults.js';
export type { HeldRequests } from './fault-controls.js';

export interface EmulatorStats {
  /** Calls received, health checks and admin calls excluded. */
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
  /** The faults in force; assign a field to change it (validated: a bad value throws FaultsError). */
  faults: Faults;
  /** Merges a validated patch into the faults, as PATCH /__admin/faults does; returns them. */
  setFaults(patch: Partial<Faults>): Faults;
  /** The requests a `hang` holds open; switching `hang` off releases them. */
  held: HeldRequests;
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

export interface EmulatorAppOptions {
  /** Faults to start with (validated: a bad value throws FaultsError). */
  faults?: Partial<Faults>;
  /** Draws in [0, 1) for the fault rates and jitter (default Math.random); tests hand in a seeded one. */
  random?: () => number;
}

/**
 * An express app for an emulated partner. Routes register with `count(op)` as their first handler:
 * it counts the call under its operation and applies the faults before the route runs.
 */
export function createEmulatorApp(name: string, options: EmulatorAppOptions = {}): Emulator & { count: (op: string) => express.RequestHandler } {
  const app = express();
  app.disable('x-powered-by');
  const stats = createStats();
  const controls = createFaultControls(options);

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', partner: name }));
  app.use(ADMIN_PATH, createAdminRouter({ controls, stats }));

  // Counting comes first so a call refused by a fault still counts as received.
  const count = (op: string) => (req: Request, res: Response, next: NextFunction) => {
    stats.calls += 1;
    stats.byOperation[op] = (stats.byOperation[op] ?? 0) + 1;
    controls.apply(req, res, next);
  };

  return { name, app, stats, faults: controls.faults, setFaults: controls.set, held: controls.held, count };
}

/** What every emulator factory receives. */
export interface EmulatorOptions extends EmulatorAppOptions {
  population: import('../population/population.js').Population;
  /** The credentials the partner accepts, by the adapter's credential names (apiKey, token, …). */
  credentials: Readonly<Record<string, string>>;
  clock: import('../../platform/clock.js').Clock;
}

export type EmulatorFactory = (options: EmulatorOptions) => Emulator;
