import type { RequestHandler } from 'express';

/**
 * The utility's rate limit: at most `perSecond` calls per bearer token in each wall-clock second,
 * beyond that `429` with `Retry-After: 1`. Throughput is real time, not the population's reference
 * time, so the limiter reads a monotonic clock (tests hand in their own `now`).
 */
export function throttle(perSecond: number, now: () => number): RequestHandler {
  const windows = new Map<string, { second: number; calls: number }>();
  return (req, res, next) => {
    const token = req.get('authorization') ?? '';
    const second = Math.floor(now() / 1000);
    const window = windows.get(token);
    if (!window || window.second !== second) {
      windows.set(token, { second, calls: 1 });
      return next();
    }
    window.calls += 1;
    if (window.calls <= perSecond) return next();
    res.set('Retry-After', '1').status(429).json({ error: { code: 'rate_limited', message: `at most ${perSecond} requests per second` } });
  };
}
