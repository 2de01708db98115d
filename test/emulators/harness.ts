import { fixedClock } from '../../platform/clock.js';
import type { Emulator, EmulatorAppOptions } from '../../emulators/kit/emulator.js';
import { listen, type RunningServer } from '../../emulators/kit/serve.js';
import { createPopulation } from '../../emulators/population/index.js';
import { waterKryvyiRihEmulator } from '../../emulators/water-kryvyi-rih/index.js';

/** One water emulator on a free loopback port, for the fault and admin tests. */

export const TOKEN = 'test-token';
export const AUTH = { authorization: `Bearer ${TOKEN}` };
const population = createPopulation({ size: 50, asOf: '2026-11-01' });
// The utility's own rate limit (20 calls/s) is raised, so only the injected faults ever answer 429.
const water = waterKryvyiRihEmulator({ requestsPerSecond: 100_000 });

export interface Water {
  emulator: Emulator;
  server: RunningServer;
  /** GET /api/v2/tariffs with the right token, as a client would. */
  tariffs(init?: RequestInit): Promise<Response>;
  /** A call to the admin endpoint; `body` is sent as JSON text. */
  admin(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Response>;
}

export async function startWater(options: EmulatorAppOptions = {}): Promise<Water> {
  const emulator = water({ population, credentials: { token: TOKEN }, clock: fixedClock('2026-11-05T09:30:00Z'), ...options });
  const server = await listen(emulator.app);
  return {
    emulator,
    server,
    tariffs: (init = {}) => fetch(`${server.url}/api/v2/tariffs`, { headers: AUTH, ...init }),
    admin: (method, path, body, headers = { 'content-type': 'application/json' }) =>
      fetch(`${server.url}/__admin${path}`, { method, body, headers: body === undefined ? {} : headers }),
  };
}

/** A scripted `random`: hands out `values` in order and fails the test if drawn once too often. */
export function draws(...values: number[]): (() => number) & { left: number[] } {
  const next = () => {
    if (values.length === 0) throw new Error('random was drawn more often than the test expects');
    return values.shift()!;
  };
  return Object.assign(next, { left: values });
}
