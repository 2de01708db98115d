/** What `within` resolves to when the bound ran out first. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * `promise`, or TIMED_OUT if it has not settled within `ms`. When the timer fires, an answer that
 * has arrived meanwhile is read first (setImmediate runs after the poll phase), so a busy event
 * loop alone does not turn an answered call into a timeout. A promise that settles after the bound
 * is still handled (no unhandled rejection).
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => { timer = setTimeout(() => setImmediate(() => resolve(TIMED_OUT)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `promise`'s value, or `fallback` when it fails or takes longer than `ms`. */
export async function orFallback<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  try {
    const value = await within(promise, ms);
    return value === TIMED_OUT ? fallback : value;
  } catch {
    return fallback;
  }
}
