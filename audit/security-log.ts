import { isIP } from 'node:net';
import type { Clock } from '../platform/clock.js';
import { trailTable } from './schema.js';
import type { SqlClient } from './sql-client.js';

/**
 * Refusals of callers the gateway could not identify: kept apart from the citizens' trails (an
 * anonymous caller must not be able to write into a person's trail, nor flood it), and bounded so
 * it can never fill the disk however many arrive. It holds a fixed number of slots, overwritten in
 * turn (`slot = n % capacity`); each address writes at most `perAddress.events` a window, counted
 * in memory for at most `maxAddresses` addresses (the least recent forgotten first). Nothing the
 * caller chose is stored as sent: the address only if it is an IP address, the method only if it
 * is an HTTP method, the path as at most 100 visible ASCII characters.
 */
export interface SecurityEvent {
  /** The caller's IP address ('invalid' stored otherwise). */
  address: string;
  /** An error code such as UNAUTHENTICATED, RATE_LIMITED, BAD_REQUEST: /^[A-Z_]{1,40}$/. */
  reason: string;
  method: string;
  path: string;
}

export interface StoredSecurityEvent extends SecurityEvent {
  /** The event's number: the log's n-th write. */
  n: number;
  at: string;
}

export interface SecurityLogOptions {
  client: SqlClient;
  clock: Clock;
  /** `[schema.]name` (default access_trail_security). */
  table?: string;
  capacity?: number;
  perAddress?: { events: number; windowSeconds: number };
  maxAddresses?: number;
}

export interface SecurityLog {
  migrate(): Promise<void>;
  /** Writes the event; false when its address is over its rate (nothing written). */
  record(event: SecurityEvent): Promise<boolean>;
  /** The newest events first, at most `limit` (1..1000). */
  recent(limit: number): Promise<StoredSecurityEvent[]>;
  /** How many events were not written because their address was over its rate. */
  suppressed(): number;
}

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;
const REASON = /^[A-Z_]{1,40}$/;
const MAX_PATH = 100;

const positive = (name: string, v: number) => {
  if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`security log: ${name} must be a whole number of at least 1, got ${v}`);
  return v;
};

/** What is stored of an event: nothing but validated or fixed text. */
export function cleanEvent(event: SecurityEvent): SecurityEvent {
  if (typeof event.reason !== 'string' || !REASON.test(event.reason)) {
    throw new TypeError(`security log: reason must be an error code (A-Z and _, at most 40), got ${JSON.stringify(event.reason)}`);
  }
  const method = String(event.method).toUpperCase();
  return {
    address: typeof event.address === 'string' && isIP(event.address) ? event.address : 'invalid',
    reason: event.reason,
    method: (HTTP_METHODS as readonly string[]).includes(method) ? method : 'OTHER',
    path: String(event.path).replace(/[^\x21-\x7e]/g, '').slice(0, MAX_PATH),
  };
}

export function createSecurityLog(options: SecurityLogOptions): SecurityLog {
  const { client, clock } = options;
  const capacity = positive('capacity', options.capacity ?? 10_000);
  const events = positive('perAddress.events', options.perAddress?.events ?? 20);
  const windowMs = positive('perAddress.windowSeconds', options.perAddress?.windowSeconds ?? 60) * 1000;
  const maxAddresses = positive('maxAddresses', options.maxAddresses ?? 10_000);
  const t = trailTable(options.table ?? 'access_trail_security');
  const sequence = t.schema ? `"${t.schema}"."${t.base}_n"` : `"${t.base}_n"`;
  /** Address → its window; a Map keeps insertion order, so the first key is the least recently seen. */
  const windows = new Map<string, { start: number; count: number }>();
  let suppressed = 0;

  const admit = (address: string): boolean => {
    const now = clock.now().getTime();
    let w = windows.get(address);
    windows.delete(address);
    if (!w || now - w.start >= windowMs) w = { start: now, count: 0 };
    windows.set(address, w);
    if (windows.size > maxAddresses) windows.delete(windows.keys().next().value!);
    if (w.count >= events) return false;
    w.count += 1;
    return true;
  };

  return {
    async migrate() {
      await client.transaction(async (tx) => {
        if (t.schema) await tx.query(`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`);
        await tx.query(`CREATE SEQUENCE IF NOT EXISTS ${sequence}`);
        await tx.query(`CREATE TABLE IF NOT EXISTS ${t.records} (
          slot integer PRIMARY KEY CHECK (slot >= 0),
          n bigint NOT NULL,
          at timestamptz NOT NULL,
          address text NOT NULL,
          reason text NOT NULL,
          method text NOT NULL,
          path text NOT NULL
        )`);
      });
    },

    async record(event) {
      const clean = cleanEvent(event);
      if (!admit(clean.address)) {
        suppressed += 1;
        return false;
      }
      // One statement: the next number, its slot, and the slot's previous event overwritten
      // (unless a concurrent writer already put a newer one there).
      await client.query(
        `INSERT INTO ${t.records} (slot, n, at, address, reason, method, path)
         SELECT n % $1::bigint, n, $2::timestamptz, $3::text, $4::text, $5::text, $6::text FROM (SELECT nextval('${sequence.replace(/'/g, "''")}') AS n) s
         ON CONFLICT (slot) DO UPDATE SET n = EXCLUDED.n, at = EXCLUDED.at, address = EXCLUDED.address,
           reason = EXCLUDED.reason, method = EXCLUDED.method, path = EXCLUDED.path
         WHERE ${t.records}.n < EXCLUDED.n`,
        [capacity, clock.now().toISOString(), clean.address, clean.reason, clean.method, clean.path],
      );
      return true;
    },

    async recent(limit) {
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw new TypeError(`security log: limit must be 1 to 1000, got ${limit}`);
      const { rows } = await client.query<{ n: string | number; at: Date | string; address: string; reason: string; method: string; path: string }>(
        `SELECT n, at, address, reason, method, path FROM ${t.records} ORDER BY n DESC LIMIT $1`, [limit]);
      return rows.map((r) => ({
        n: Number(r.n), at: new Date(r.at).toISOString(), address: r.address, reason: r.reason, method: r.method, path: r.path,
      }));
    },

    suppressed: () => suppressed,
  };
}
