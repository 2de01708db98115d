import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RequestHandler } from 'express';

/**
 * Overload is refused early: past `maxInFlight` requests being worked on, or while the event loop
 * is saturated (mean delay over `maxEventLoopDelayMs`: the process cannot keep up), a request
 * gets 503 with Retry-After at once instead of queueing behind the others for many seconds. It runs
 * before anything else, so a refusal costs almost nothing. The answers that are served stay fast.
 */
export interface AdmissionOptions {
  /** Requests worked on at once (default 32: with an overview costing tens of ms of CPU, what is admitted still answers within its budget; more desks than that at the same instant wait a second). */
  maxInFlight?: number;
  /**
   * Mean delay of the event loop over the last second, in ms, above which new work is refused
   * (default 1000): the loop is then saturated, whatever the count. The mean, not a high percentile:
   * single long pauses (a garbage collection, the embedded database's synchronous writes) are not
   * overload.
   */
  maxEventLoopDelayMs?: number;
  /** Called for each refusal, with the reason (`in_flight` or `event_loop`). */
  onRefusal?: (reason: 'in_flight' | 'event_loop') => void;
}

export interface Admission {
  middleware: RequestHandler;
  /** Requests being worked on now. */
  inFlight(): number;
  stop(): void;
}

export function createAdmission(options: AdmissionOptions = {}): Admission {
  const maxInFlight = options.maxInFlight ?? 32;
  const maxDelayNs = (options.maxEventLoopDelayMs ?? 1000) * 1e6;
  let inFlight = 0;
  let lagging = false;
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  // Each second: was the loop saturated over the last second? (Reset, so old lag is forgotten.)
  const sampler = setInterval(() => {
    lagging = delay.count > 0 && delay.mean > maxDelayNs;
    delay.reset();
  }, 1000);
  sampler.unref();

  const refuse = (res: Parameters<RequestHandler>[1], reason: 'in_flight' | 'event_loop') => {
    options.onRefusal?.(reason);
    res.status(503).set('retry-after', '1').json({ errors: [{ message: 'the service is busy; try again in a second', extensions: { code: 'OVERLOADED', retryable: true } }] });
  };

  return {
    middleware(_req, res, next) {
      if (inFlight >= maxInFlight) return refuse(res, 'in_flight');
      if (lagging) return refuse(res, 'event_loop');
      inFlight += 1;
      // The answer budget counts from here: time spent before the request is planned is the desk's too.
      res.locals.arrivedAt = Date.now();
      let done = false;
      const release = () => { if (!done) { done = true; inFlight -= 1; } };
      res.once('finish', release);
      res.once('close', release);
      next();
    },
    inFlight: () => inFlight,
    stop() {
      clearInterval(sampler);
      delay.disable();
    },
  };
}
