import { EventEmitter } from 'node:events';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DEFAULT_FAULTS, FaultsError, garbledBody, parseFaults, type Faults } from './faults.js';

/**
 * Applies an emulator's faults to its partner calls (never to /healthz or /__admin). In order:
 * `refuse` resets the connection at once; `hang` holds the request open; then, after
 * `latencyMs` + a uniform 0..`jitterMs`, `down` answers 503, `throttleRate` 429 with Retry-After,
 * `failRate` 500, and `malformedRate` garbles the route's 200 answer. `random` is drawn once per
 * non-zero jitter or rate, in that order, so a seeded one gives exact outcomes.
 */

/** The requests a `hang` holds open. Emits 'hold' with each one it starts holding. */
export interface HeldRequests extends EventEmitter {
  readonly size: number;
  /** Ends every held request by destroying its connection; returns how many there were. */
  release(): number;
}

export interface FaultControls {
  /** The live faults: assigning a field validates it (a bad value throws FaultsError). */
  readonly faults: Faults;
  /** Merges `patch` (validated whole before anything changes); returns the faults now in force. */
  set(patch: unknown): Faults;
  /** Replaces every fault: what `input` leaves out goes back to its default. */
  replace(input: unknown): Faults;
  held: HeldRequests;
  /** The middleware that applies the faults; `count(op)` runs it after counting the call. */
  apply: RequestHandler;
}

export interface FaultControlsOptions {
  faults?: Partial<Faults>;
  /** Draws in [0, 1) for the rates and the jitter (default Math.random). */
  random?: () => number;
}

function createHeldRequests(): { held: HeldRequests; hold(res: Response): void } {
  const open = new Set<Response>();
  const held = new EventEmitter() as HeldRequests;
  Object.defineProperty(held, 'size', { get: () => open.size, enumerable: true });
  held.release = () => {
    const count = open.size;
    for (const res of open) res.socket?.destroy();
    open.clear();
    return count;
  };
  const hold = (res: Response) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    held.emit('hold', res);
  };
  return { held, hold };
}

/** A 200 answer sent through res.send (res.json ends there too) goes out garbled, same content type. */
function garble(res: Response): void {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    const raw = typeof body === 'string' || Buffer.isBuffer(body);
    if (res.statusCode !== 200 || !raw) return send(body);
    const text = garbledBody(String(res.get('Content-Type') ?? ''));
    // A string gets express's charset handling as the real answer would; a Buffer keeps its type as set.
    return send(typeof body === 'string' ? text : Buffer.from(text));
  };
}

export function createFaultControls(options: FaultControlsOptions = {}): FaultControls {
  const random = options.random ?? Math.random;
  const { held, hold } = createHeldRequests();
  const state: Faults = { ...DEFAULT_FAULTS, ...parseFaults(options.faults ?? {}) };

  // A proxy rather than a frozen copy, so in-process tests keep writing `emulator.faults.down = true`.
  const faults = new Proxy(state, {
    set(target, key, value) {
      const valid = parseFaults({ [key]: value });
      Object.assign(target, valid);
      if (key === 'hang' && value === false) held.release();
      return true;
    },
    deleteProperty(_target, key) {
      throw new FaultsError([{ field: String(key), message: 'cannot be removed; set it to its default instead' }]);
    },
  });

  const chance = (rate: number) => rate > 0 && random() < rate;

  const answer = (res: Response, next: NextFunction) => {
    if (state.down) return void res.status(503).type('text/plain').send('Service Unavailable');
    if (chance(state.throttleRate)) {
      return void res.status(429).set('Retry-After', String(state.throttleRetryAfterSeconds)).type('text/plain').send('Too Many Requests');
    }
    if (chance(state.failRate)) return void res.status(500).type('text/plain').send('Internal Server Error');
    if (chance(state.malformedRate)) garble(res);
    next();
  };

  const apply: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    // The listener stays up for the admin endpoint, so a reset (RST) stands in for a refused connection.
    if (state.refuse) return void req.socket.resetAndDestroy();
    if (state.hang) return hold(res);
    const delay = state.latencyMs + (state.jitterMs > 0 ? Math.floor(random() * (state.jitterMs + 1)) : 0);
    if (delay === 0) return answer(res, next);
    const timer = setTimeout(() => answer(res, next), delay);
    // A client that gives up (or a server that closes) ends the wait: no timer outlives its request.
    res.once('close', () => clearTimeout(timer));
  };

  return {
    faults,
    set: (patch) => Object.assign(faults, parseFaults(patch)),
    replace: (input) => Object.assign(faults, { ...DEFAULT_FAULTS, ...parseFaults(input) }),
    held,
    apply,
  };
}
