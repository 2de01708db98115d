import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * The little the trail needs from a database, so PostgreSQL (`pg`) and the embedded store
 * (PGlite: PostgreSQL compiled to WASM, no server) run the same SQL.
 */
export interface SqlQuery {
  query<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface SqlClient extends SqlQuery {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A pool against a PostgreSQL server; `max` connections (the trail's writes serialise on a lock anyway). */
export function createPgClient(connectionString: string, options: { max?: number } = {}): SqlClient {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 5 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return {
    async query<R extends object>(text: string, params?: unknown[]) {
      const result = await pool.query(text, params);
      return { rows: result.rows as R[] };
    },
    async transaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const value = await fn({
          async query<R extends object>(text: string, params?: unknown[]) {
            return { rows: (await conn.query(text, params)).rows as R[] };
          },
        });
        await conn.query('COMMIT');
        return value;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * The embedded store, persisted in `dataDir` (created if missing). PGlite is one connection and
 * runs one transaction at a time, so the trail's advisory lock is uncontended there.
 */
export async function createPgliteClient(dataDir: string): Promise<SqlClient> {
  mkdirSync(dataDir, { recursive: true });
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
    close: () => db.close(),
  };
}
