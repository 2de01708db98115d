import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { initEmbeddedDatabase } from './pglite-init.js';
import pg from 'pg';

/**
 * The little the trail needs from a database, so PostgreSQL (`pg`) and the embedded store
 * (PGlite: PostgreSQL compiled to WASM, no server) run the same SQL.
 */
export interface SqlQuery {
  query<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export type SqlRow = Record<string, unknown>;

export interface SqlClient extends SqlQuery {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T>;
  /**
   * One transaction in two round trips: BEGIN and `opening` in the first; `fn` gets their rows, one
   * array per statement, and returns its value with the statements that end the transaction, sent
   * with COMMIT in the second. Rolled back when anything fails. Statements take no parameters (a
   * round trip of several can carry none): whatever values they hold, the caller has made safe.
   * Each statement sees what was committed before it started (READ COMMITTED): after a lock taken
   * by the one before it, what the lock's last holder wrote.
   */
  exchange<T>(opening: readonly string[], fn: (opened: SqlRow[][]) => { value: T; closing: readonly string[] }): Promise<T>;
  /** Whether the database answers `SELECT 1` within `timeoutMs` (readiness checks). Never throws. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface PgClientOptions {
  /** Connections in the pool (default 5; the trail's writes serialise on a lock anyway). */
  max?: number;
  /** How long to wait for a connection, new or from the pool, before the query fails (default 3 s). */
  connectionTimeoutMs?: number;
  /** How long a query may run before it fails, client-side: a server that stops answering must not hold a request for ever (default 10 s). */
  queryTimeoutMs?: number;
  /** Called with every connection error (the pool replaces the connection): for logs and metrics. */
  onError?: (error: Error) => void;
}

const PING_TIMEOUT_MS = 1000;

async function pingWithin(query: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      query().then(() => true, () => false),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A pool against a PostgreSQL server. No database event may end the process: a connection lost
 * while idle in the pool, or while checked out for a transaction, emits 'error', which without a
 * listener is an uncaught exception ("Connection terminated unexpectedly"). Both are listened to;
 * the failed query rejects, the broken connection is thrown away, and later queries open new ones,
 * so service resumes by itself when the database is back.
 */
export function createPgClient(connectionString: string, options: PgClientOptions = {}): SqlClient {
  const pool = new pg.Pool({
    connectionString, max: options.max ?? 5,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 3000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    keepAlive: true,
  });
  const onError = (error: Error) => { try { options.onError?.(error); } catch { /* a log hook must not throw here */ } };
  // An idle connection dropped by the server; the pool discards it, the next query reconnects.
  pool.on('error', onError);
  /** Runs `run` on a connection of its own, rolling back when it throws. */
  async function inTransaction<T>(run: (conn: pg.PoolClient) => Promise<T>): Promise<T> {
    const conn = await pool.connect();
    // Checked out, the connection is no longer the pool's to watch: a drop mid-transaction is ours.
    let broken: Error | undefined;
    const onConnError = (error: Error) => { broken ??= error; onError(error); };
    conn.on('error', onConnError);
    try {
      return await run(conn);
    } catch (error) {
      if (!broken) await conn.query('ROLLBACK').catch((rollbackError: Error) => { broken = rollbackError; });
      throw error;
    } finally {
      conn.removeListener('error', onConnError);
      // A broken connection goes back with its error, so the pool destroys it instead of reusing it.
      conn.release(broken);
    }
  }
  return {
    async query<R extends object>(text: string, params?: unknown[]) {
      const result = await pool.query(text, params);
      return { rows: result.rows as R[] };
    },
    transaction: (fn) => inTransaction(async (conn) => {
      await conn.query('BEGIN');
      const value = await fn({
        async query<R extends object>(text: string, params?: unknown[]) {
          return { rows: (await conn.query(text, params)).rows as R[] };
        },
      });
      await conn.query('COMMIT');
      return value;
    }),
    // Without parameters several statements go as one simple query, one round trip; pg answers
    // with one result per statement, and runs none after one that fails.
    exchange: (opening, fn) => inTransaction(async (conn) => {
      const begun: pg.QueryResult | pg.QueryResult[] = await conn.query(['BEGIN', ...opening].join(';\n'));
      const { value, closing } = fn((Array.isArray(begun) ? begun : [begun]).slice(1).map((r) => r.rows as SqlRow[]));
      await conn.query([...closing, 'COMMIT'].join(';\n'));
      return value;
    }),
    ping: (timeoutMs = PING_TIMEOUT_MS) => pingWithin(() => pool.query('SELECT 1'), timeoutMs),
    close: () => pool.end(),
  };
}

/**
 * The embedded store, persisted in `dataDir` (created if missing). PGlite is one connection and
 * runs one transaction at a time, so the trail's advisory lock is uncontended there.
 */
export async function createPgliteClient(dataDir: string): Promise<SqlClient> {
  mkdirSync(dataDir, { recursive: true });
  await initEmbeddedDatabase(dataDir);
  const db = await PGlite.create(dataDir);
  return {
    async query<R extends object>(text: string, params?: unknown[]) {
      return { rows: (await db.query<R>(text, params)).rows };
    },
    transaction: (fn) => db.transaction((tx) => fn({
      async query<R extends object>(text: string, params?: unknown[]) {
        return { rows: (await tx.query<R>(text, params)).rows };
      },
    })),
    exchange: (opening, fn) => db.transaction(async (tx) => {
      const { value, closing } = fn(opening.length > 0 ? (await tx.exec(opening.join(';\n'))).map((r) => r.rows as SqlRow[]) : []);
      if (closing.length > 0) await tx.exec(closing.join(';\n'));
      return value;
    }),
    // In-process: no connection to lose, and its failures reject the query that met them.
    ping: (timeoutMs = PING_TIMEOUT_MS) => pingWithin(() => db.query('SELECT 1'), timeoutMs),
    close: () => db.close(),
  };
}
