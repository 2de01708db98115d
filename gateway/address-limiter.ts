import type { Clock } from '../platform/clock.js';

/**
 * Per client address, how many requests that fail authentication are answered in a window; past
 * that, the address is told to wait (429) without its token even being looked at. A fixed window
 * per address, in a bounded map (the least recently seen addresses are forgotten first), so a flood
 * from many addresses costs memory only up to `maxAddresses`.
 */
export interface AddressLimiter {
  /** Seconds to wait when the address is over its limit, else 0. */
  retryAfter(address: string): number;
  /** Counts one failed authentication from the address. */
  fail(address: string): void;
}

export interface AddressLimiterOptions {
  /** Failed authentications per address per window (default 30). */
  failures?: number;
  windowSeconds?: number;
  maxAddresses?: number;
  clock: Clock;
}

export function createAddressLimiter(options: AddressLimiterOptions): AddressLimiter {
  const failures = options.failures ?? 30;
  const windowMs = (options.windowSeconds ?? 60) * 1000;
  const maxAddresses = options.maxAddresses ?? 100_000;
  const windows = new Map<string, { start: number; count: number }>();

  const current = (address: string) => {
    const now = options.clock.now().getTime();
    const window = windows.get(address);
    return window && now - window.start < windowMs ? { window, now } : { window: undefined, now };
  };

  return {
    retryAfter(address) {
      const { window, now } = current(address);
      return window && window.count >= failures ? Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)) : 0;
    },
    fail(address) {
      const { window, now } = current(address);
      windows.delete(address);
      windows.set(address, window ? { start: window.start, count: window.count + 1 } : { start: now, count: 1 });
      if (windows.size > maxAddresses) windows.delete(windows.keys().next().value!);
    },
  };
}
