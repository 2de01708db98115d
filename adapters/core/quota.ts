import { PartnerTimeoutError } from '../../domain/errors.js';
import type { NotCalled } from './failure.js';
import { partnerLogger, type Logger } from '../../platform/logger.js';

/**
 * A partner's quota (memorandum `connection.quota`): at most `callsPerSecond` calls started per
 * second and `inFlight` calls open at once. Every attempt the HTTP core makes (retries included)
 * takes a permit first; a 429 pauses the quota for everyone for the Retry-After the partner asked.
 *
 * The rate is a token bucket (kept as a GCRA: the time the next call may start) refilled at
 * callsPerSecond and holding `burst` tokens (default 1). With one token calls are spaced
 * 1/callsPerSecond apart, so no one-second window, however the partner aligns its own, sees more
 * than callsPerSecond of them; a bucket of B tokens lets B start at once after a quiet spell, and a
 * window may then see callsPerSecond + B - 1.
 * With Redis the spacing is kept in Redis by one atomic script, so all replicas together stay
 * within the rate (and a 429 to one pauses them all); if Redis does not answer within 50 ms the
 * replica paces on its own (at the whole rate: with R replicas the partner may then see up to R
 * times it) and asks Redis again 5 s later. `inFlight` is a per-process semaphore: a replica never
 * holds more than that open (replicas × inFlight in all).
 *
 * Waiting counts against the operation's deadline (the answer's budget): a wait that would not
 * leave time for the call itself fails at once with QuotaWaitError (PARTNER_TIMEOUT).
 */
export interface QuotaLimits {
  callsPerSecond?: number;
  inFlight?: number;
  /** Calls that may start at once after a quiet spell (default 1). */
  burst?: number;
}

/** Atomic scripts on the shared Redis (SharedStore.eval). */
export type SharedEval = (script: string, keys: string[], args: string[]) => Promise<unknown>;

export interface QuotaOptions extends QuotaLimits {
  partnerId: string;
  log: Logger;
  /** The shared Redis, so replicas share the rate; the process paces alone without it. */
  shared?: SharedEval;
  /** Milliseconds of a monotonic clock the bucket keeps time by (default performance.now; tests script it). */
  now?: () => number;
  /** How long a Redis answer may take before this replica paces alone (default 50 ms). */
  sharedTimeoutMs?: number;
}

export interface PartnerQuota {
  /**
   * Waits for a permit to start one call that must be over by `deadlineAt`; resolves to its release.
   * Rejects with QuotaWaitError, reserving nothing, when a wait would leave less than `minCallMs` for the call.
   */
  acquire(deadlineAt: number, minCallMs: number, signal?: AbortSignal): Promise<() => void>;
  /** The partner asked for a pause (429 + Retry-After): no call starts for `ms`. */
  pause(ms: number): void;
}

/** How long a replica paces alone after Redis failed it, before asking Redis again. */
const RETRY_SHARED_AFTER_MS = 5000;

/** The quota's wait would run past the deadline: the partner was not called. */
export class QuotaWaitError extends PartnerTimeoutError implements NotCalled {
  readonly notCalled = true as const;
  constructor(partnerId: string) {
    super(partnerId, "waiting for the partner's quota would exceed the budget");
  }
}

/**
 * The bucket as a GCRA in Redis, on Redis's own clock. KEYS[1]: the theoretical arrival time (ms)
 * of the next call. ARGV: the spacing of calls in ms, the longest wait the caller accepts, a pause
 * in ms (0: none), the burst tolerance in ms ((burst - 1) × spacing). Returns the wait in ms for
 * the start it reserved, or -1 (nothing reserved) when that would be longer than accepted.
 */
const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval, accepted, pause, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if pause > 0 then
  if now + pause + tolerance > tat then tat = now + pause + tolerance end
  redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now) + 1000)
  return 0
end
local wait = math.max(0, tat - tolerance - now)
if wait > 0 and wait > accepted then return -1 end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat + interval - now) + 1000)
return math.ceil(wait)`;

/** The same bucket in one process: `tat` is when the next call would start with an empty bucket. */
function localBucket(intervalMs: number, toleranceMs: number, now: () => number) {
  let tat = 0;
  return {
    reserve(maxWaitMs: number): number | undefined {
      const t = now();
      const base = Math.max(tat, t);
      const wait = Math.max(0, base - toleranceMs - t);
      if (wait > 0 && wait > maxWaitMs) return undefined;
      tat = base + intervalMs;
      return wait;
    },
    pause(ms: number) { tat = Math.max(tat, now() + ms + toleranceMs); },
  };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first (global timers: tests can script them). */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => { signal?.removeEventListener('abort', abort); resolve(); };
    const timer = setTimeout(done, ms);
    const abort = () => { clearTimeout(timer); reject(signal!.reason); };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** A counting semaphore whose waiters give up at their own time. */
function semaphore(limit: number) {
  let active = 0;
  const waiters: Array<{ grant: () => void }> = [];
  const release = () => {
    const next = waiters.shift();
    if (next) next.grant();
    else active -= 1;
  };
  return {
    async take(maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
      if (active < limit) { active += 1; return true; }
      if (maxWaitMs <= 0 || signal?.aborted) return false;
      const controller = new AbortController();
      const waiter = { grant: () => controller.abort('granted') };
      waiters.push(waiter);
      const abandon = () => controller.abort('abandoned');
      signal?.addEventListener('abort', abandon, { once: true });
      await wait(maxWaitMs, controller.signal).catch(() => undefined);
      signal?.removeEventListener('abort', abandon);
      if (controller.signal.reason === 'granted') return true; // the releaser handed its place over
      waiters.splice(waiters.indexOf(waiter), 1);
      return false;
    },
    release,
  };
}

export function createQuota(options: QuotaOptions): PartnerQuota {
  const log = partnerLogger(options.log, options.partnerId);
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.callsPerSecond ? 1000 / options.callsPerSecond : 0;
  const toleranceMs = (Math.max(1, options.burst ?? 1) - 1) * intervalMs;
  const local = localBucket(intervalMs, toleranceMs, now);
  const open = options.inFlight ? semaphore(options.inFlight) : undefined;
  const key = `vikno:quota:${options.partnerId}`;
  let pacingAlone = false;
  /** After Redis failed, this replica paces alone for a while before it asks Redis again (each try may cost the timeout). */
  let aloneUntil = -Infinity;

  // Without a rate of its own the quota only keeps pauses (429s), in this process.
  const shared = intervalMs > 0 ? options.shared : undefined;

  /** Redis's answer, or a failure when it takes longer than `ms`. */
  function soon<T>(reply: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ms); });
    return Promise.race([reply, late]).finally(() => clearTimeout(timer));
  }

  /** The wait for a reserved slot; undefined when none fits. Falls back to this process's spacing if Redis is slow or down. */
  async function reserve(maxWaitMs: number, pauseMs = 0): Promise<number | undefined> {
    if (shared && now() >= aloneUntil) {
      try {
        const args = [String(intervalMs), String(Math.max(0, Math.floor(maxWaitMs))), String(Math.ceil(pauseMs)), String(toleranceMs)];
        const reply = Number(await soon(shared(RESERVE_SCRIPT, [key], args), options.sharedTimeoutMs ?? 50));
        if (pacingAlone) log.info("the partner's quota is shared through Redis again");
        pacingAlone = false;
        return reply < 0 ? undefined : reply;
      } catch (error) {
        if (!pacingAlone) log.warn({ err: (error as Error).message }, "the partner's quota cannot be shared through Redis: this replica paces alone");
        pacingAlone = true;
        aloneUntil = now() + RETRY_SHARED_AFTER_MS;
      }
    }
    if (pauseMs > 0) return void local.pause(pauseMs);
    return local.reserve(maxWaitMs);
  }

  return {
    async acquire(deadlineAt, minCallMs, signal) {
      const room = () => deadlineAt - Date.now() - minCallMs;
      if (open && !(await open.take(room(), signal))) throw new QuotaWaitError(options.partnerId);
      try {
        const delay = await reserve(room());
        if (delay === undefined) throw new QuotaWaitError(options.partnerId);
        // Ended by the deadline while waiting: still a call never made, whatever ended it.
        if (delay > 0) await wait(delay, signal).catch(() => { throw new QuotaWaitError(options.partnerId); });
      } catch (error) {
        open?.release();
        throw error;
      }
      let released = false;
      return () => { if (!released) { released = true; open?.release(); } };
    },
    pause(ms) {
      if (ms <= 0) return;
      log.info({ pauseMs: Math.round(ms) }, 'the partner is throttling: its calls pause');
      void reserve(0, ms);
    },
  };
}
