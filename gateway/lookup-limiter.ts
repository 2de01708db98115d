import type { Clock } from '../platform/clock.js';
import { TIMED_OUT, within } from '../platform/bound.js';
import type { KeyedHash } from '../platform/keyed-hash.js';
import type { Logger } from '../platform/logger.js';
import type { Principal } from '../identity/principal.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Bulk look-ups are limited and flagged: each principal may look up at most `people` different
 * persons in any `windowSeconds` (a sliding window; looking the same person up again is free).
 * Past the limit the look-up is refused with how long to wait; at `alertShare` of the limit an
 * alert (a warn line naming the staff member, and a metric) tells that the pace is abnormal.
 * With Redis the window is shared by every gateway replica; if Redis does not answer within
 * `redisTimeoutMs`, this replica's own window decides (still a limit, never none).
 */
export interface LookupLimit {
  people: number;
  windowSeconds: number;
}

export interface LookupLimits {
  staff: LookupLimit;
  citizen: LookupLimit;
}

/** A desk serves a citizen every few minutes, often with family members; the portal serves one person. */
export const DEFAULT_LOOKUP_LIMITS: LookupLimits = {
  staff: { people: 30, windowSeconds: 600 },
  citizen: { people: 1, windowSeconds: 60 },
};

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface LookupLimiter {
  /** Admits a principal's look-up of these people (tax ids), or says how long to wait; `requestId` goes on its log lines. */
  admit(principal: Principal, taxIds: readonly string[], requestId?: string): Promise<Admission>;
}

/** The little of a Redis client the shared window needs (node-redis v4/v5 `eval`). */
export interface RedisEval {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface LookupLimiterOptions {
  limits?: LookupLimits;
  /** Keyed hash of tax ids and principal ids: Redis holds no identifier. */
  hash: KeyedHash;
  clock: Clock;
  log: Logger;
  metrics?: GatewayMetrics;
  redis?: RedisEval;
  redisTimeoutMs?: number;
  alertShare?: number;
  /** How many principals the in-memory window keeps (the least recent are forgotten first). */
  maxPrincipals?: number;
}

/** `30/600`: at most 30 different people in 600 seconds. */
export function parseLookupLimit(name: string, value: string): LookupLimit {
  const match = /^(\d{1,6})\/(\d{1,7})$/.exec(value.trim());
  const people = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (!match || people < 1 || windowSeconds < 1) {
    throw new TypeError(`${name}: expected PEOPLE/SECONDS with whole numbers of at least 1, e.g. 30/600, got "${value}"`);
  }
  return { people, windowSeconds };
}

// KEYS[1] the principal's window; ARGV: now (ms), window (ms), limit, then the people (hashed).
// Answers {1} when admitted, {0, ms until the oldest person leaves the window} when not.
const WINDOW_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local fresh = 0
for i = 4, #ARGV do if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then fresh = fresh + 1 end end
local count = redis.call('ZCARD', KEYS[1])
if count + fresh > tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local wait = tonumber(ARGV[2])
  if oldest[2] then wait = tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1]) end
  return {0, wait, count}
end
for i = 4, #ARGV do redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0, count + fresh}`;

interface Window {
  /** Person → when last looked up (ms). */
  seen: Map<string, number>;
  alerted: boolean;
}

export function createLookupLimiter(options: LookupLimiterOptions): LookupLimiter {
  const limits = options.limits ?? DEFAULT_LOOKUP_LIMITS;
  const alertShare = options.alertShare ?? 0.8;
  const maxPrincipals = options.maxPrincipals ?? 50_000;
  const windows = new Map<string, Window>();

  const local = (key: string, people: readonly string[], limit: LookupLimit, now: number): { admission: Admission; count: number } => {
    let window = windows.get(key);
    if (window) windows.delete(key); // re-inserted below: the map's order is least recent first
    else window = { seen: new Map(), alerted: false };
    windows.set(key, window);
    if (windows.size > maxPrincipals) windows.delete(windows.keys().next().value!);
    const from = now - limit.windowSeconds * 1000;
    for (const [person, at] of window.seen) if (at <= from) window.seen.delete(person);
    if (window.seen.size === 0) window.alerted = false;
    const fresh = people.filter((p) => !window.seen.has(p));
    if (window.seen.size + fresh.length > limit.people) {
      const oldest = Math.min(...window.seen.values());
      return { admission: { ok: false, retryAfterSeconds: (oldest + limit.windowSeconds * 1000 - now) / 1000 }, count: window.seen.size };
    }
    for (const p of people) { window.seen.delete(p); window.seen.set(p, now); }
    return { admission: { ok: true }, count: window.seen.size };
  };

  const shared = async (key: string, people: readonly string[], limit: LookupLimit, now: number) => {
    const redis = options.redis!;
    const answered = await within(
      redis.eval(WINDOW_SCRIPT, { keys: [`vikno:lookups:${key}`], arguments: [String(now), String(limit.windowSeconds * 1000), String(limit.people), ...people] }),
      options.redisTimeoutMs ?? 50,
    );
    if (answered === TIMED_OUT) throw new Error('Redis did not answer in time');
    const reply = answered as [number, number, number];
    const admission: Admission = reply[0] === 1 ? { ok: true } : { ok: false, retryAfterSeconds: Number(reply[1]) / 1000 };
    return { admission, count: Number(reply[2]) };
  };

  let redisDown = false;
  return {
    async admit(principal, taxIds, requestId) {
      const role = principal.kind;
      const limit = limits[role];
      const key = options.hash(role === 'staff' ? `staff:${principal.id}` : `citizen:${principal.taxId}`);
      const people = [...new Set(taxIds)].map((t) => options.hash(`person:${t}`));
      const now = options.clock.now().getTime();
      let result = local(key, people, limit, now);
      if (options.redis && result.admission.ok) {
        try {
          result = await shared(key, people, limit, now);
          if (redisDown) options.log.info('the shared look-up limit is back in Redis');
          redisDown = false;
        } catch (error) {
          if (!redisDown) options.log.warn({ err: error }, 'the shared look-up limit is unavailable: each replica limits on its own');
          redisDown = true;
        }
      }
      if (!result.admission.ok) {
        options.metrics?.lookupRefusals.inc({ role });
        options.log.warn({ requestId, role, ...(role === 'staff' ? { staffId: principal.id } : {}), limit: limit.people, windowSeconds: limit.windowSeconds },
          'look-up refused: too many different people in the window');
        return result.admission;
      }
      const window = windows.get(key)!;
      if (result.count >= Math.ceil(limit.people * alertShare) && !window.alerted && role === 'staff') {
        window.alerted = true;
        options.metrics?.paceAlerts.inc({ role });
        options.log.warn({ requestId, role, staffId: principal.id, people: result.count, limit: limit.people, windowSeconds: limit.windowSeconds },
          'abnormal look-up pace: a staff member is looking up many different people');
      }
      return result.admission;
    },
  };
}
