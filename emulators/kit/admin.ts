import { isIPv4 } from 'node:net';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { FaultsError, type Faults } from './faults.js';
import type { FaultControls } from './fault-controls.js';

/**
 * The admin endpoint every emulator mounts at /__admin, for tests and benchmarks to change faults
 * while it runs. It answers loopback callers only (by the socket's address: no header can claim
 * it), is never counted as a partner call and is never subject to faults.
 *   GET   /__admin/faults        → the faults in force
 *   PUT   /__admin/faults        → replaces them (what the body leaves out goes back to its default)
 *   PATCH /__admin/faults        → merges the body into them
 *   GET   /__admin/stats         → { calls, byOperation }
 *   POST  /__admin/stats/reset   → the stats, reset
 * A bad body is 400 `{ "error": "failRate: must be a number from 0 to 1, got 2" }`.
 */

export const ADMIN_PATH = '/__admin';

/** 127.0.0.0/8, ::1, and 127.x as an IPv4-mapped IPv6 address. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const lower = address.toLowerCase();
  const v4 = lower.startsWith('::ffff:') ? lower.slice('::ffff:'.length) : lower;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return lower === '::1' || lower === '0:0:0:0:0:0:0:1';
}

export interface AdminOptions {
  controls: Pick<FaultControls, 'faults' | 'set' | 'replace'>;
  stats: { calls: number; byOperation: Record<string, number>; reset(): void };
}

/** The body as faults input: JSON whatever the content type says, so a bare `curl -d` works too. */
function readJson(body: unknown): unknown {
  const text = typeof body === 'string' ? body.trim() : '';
  if (text === '') throw new FaultsError([{ field: '', message: 'must be a JSON object, got an empty body' }]);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FaultsError([{ field: '', message: `must be JSON: ${(error as Error).message}` }]);
  }
}

function change(res: Response, run: () => Faults): void {
  try {
    res.json(run());
  } catch (error) {
    if (!(error instanceof FaultsError)) throw error;
    res.status(400).json({ error: error.message });
  }
}

export function createAdminRouter({ controls, stats }: AdminOptions): Router {
  const router = express.Router();
  const body = express.text({ type: () => true, limit: '16kb' });
  const statsNow = () => ({ calls: stats.calls, byOperation: stats.byOperation });

  router.use((req: Request, res: Response, next) => {
    if (isLoopbackAddress(req.socket.remoteAddress)) return next();
    res.status(403).json({ error: 'the admin endpoint answers loopback callers only' });
  });
  router.get('/faults', (_req, res) => void res.json(controls.faults));
  router.put('/faults', body, (req, res) => change(res, () => controls.replace(readJson(req.body))));
  router.patch('/faults', body, (req, res) => change(res, () => controls.set(readJson(req.body))));
  router.get('/stats', (_req, res) => void res.json(statsNow()));
  router.post('/stats/reset', (_req, res) => {
    stats.reset();
    res.json(statsNow());
  });
  router.use((req, res) => void res.status(404).json({ error: `no admin route ${req.method} ${ADMIN_PATH}${req.path}` }));
  // Body-parser failures (too large, bad encoding) answer here, not in a partner's own dialect.
  const onError: ErrorRequestHandler = (error: { status?: number; message?: string }, _req, res, _next) => {
    res.status(error.status && error.status < 500 ? error.status : 500).json({ error: error.message ?? 'admin request failed' });
  };
  router.use(onError);
  return router;
}
