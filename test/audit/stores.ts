import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../../platform/clock.js';
import { projectRoot } from '../../domain/project-root.js';
import { createSubjectHash } from '../../audit/open.js';
import type { TrailEntry, TrailRecord } from '../../audit/record.js';
import { createPgClient, createPgliteClient, type SqlClient } from '../../audit/sql-client.js';
import { seedEmbeddedStore } from '../helpers/trail.js';
import { createTrail, type Trail, type TrailLookup, type TrailOptions } from '../../audit/trail.js';

/**
 * The same cases run against the embedded store (always) and PostgreSQL (when DATABASE_URL is
 * set, as .ci/run does). One database per file; each test gets its own table, so tests, files
 * and concurrent runs never see each other's records.
 */
export interface Store {
  client: SqlClient;
  /**
   * A fresh trail on its own table with its own checkpoint folder, migrated, with a clock one
   * second further each call. `reopen` makes another handle on it, as a restart or a second
   * replica would (options replaced as given).
   */
  trail(options?: { key?: string }): Promise<StoreTrail>;
  /** A table name of this store's own, unquoted (`[schema.]name`), for other tables a test needs. */
  newTable(): string;
  /** Runs SQL on a trail's table with its append-only triggers off: what a tamperer would do. */
  tamper(table: string, ...statements: string[]): Promise<void>;
}

/** Creating an embedded store runs initdb in WASM: seconds, more on a loaded CI machine. */
export const PGLITE_TIMEOUT = 60_000;

export const TRAIL_KEY = 'test trail key, 32 characters!!';
export const SEAL_KEY = 'test seal key, kept outside the database';
export const CITIZEN = '3111901220';
export const OTHER = '2660404572';

/** How a look-up recorded in one record reads back through forSubject. */
export const asLookup = ({ hash: _h, prevHash: _p, seal: _s, refers: _r, ...rest }: TrailRecord): TrailLookup => ({ ...rest, completion: null });

export function steppingClock(startIso = '2026-01-15T09:00:00.000Z'): Clock {
  let at = Date.parse(startIso);
  return { now: () => new Date((at += 1000) - 1000) };
}

export const staffLookup = (subject: string, n = 0): TrailEntry => ({
  actor: { kind: 'staff', staffId: `s-${100 + n}`, centre: 'cnap-kryvyi-rih' },
  subject,
  institution: 'ЦНАП м. Кривий Ріг',
  official: 'Оксана Петренко',
  purpose: `талон А-${String(n).padStart(3, '0')}`,
  operation: 'Overview',
  domains: ['gas', 'water'],
  partners: [{ id: 'gas-kryvyi-rih', outcome: 'ANSWERED' }, { id: 'water-kryvyi-rih', outcome: 'PARTNER_TIMEOUT' }],
  outcome: 'PARTIAL',
});

export interface StoreTrail {
  trail: Trail;
  /** Quoted, as SQL names it. */
  table: string;
  checkpointDir: string;
  /** This trail's checkpoint file (replica gw-1). */
  checkpointFile: string;
  reopen(options?: Partial<TrailOptions>): Trail;
}

export function describeStores(title: string, cases: (store: () => Store) => void): void {
  describe(`${title} (embedded store)`, () => {
    let dir: string;
    let store: Store;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'vikno-trail-'));
      seedEmbeddedStore(path.join(dir, 'db'));
      store = makeStore(await createPgliteClient(path.join(dir, 'db')), dir, (n) => `t${n}`);
    }, PGLITE_TIMEOUT);
    afterAll(async () => {
      await store?.client.close();
      rmSync(dir, { recursive: true, force: true });
    });
    cases(() => store);
  });

  whenDatabase(title, (url) => {
    const schema = uniqueSchema();
    let store: Store;
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'vikno-trail-'));
      store = makeStore(createPgClient(url), dir, (n) => `${schema}.t${n}`);
    });
    afterAll(async () => {
      await store.client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await store.client.close();
      rmSync(dir, { recursive: true, force: true });
    });
    cases(() => store);
  });
}

export const uniqueSchema = () => `vikno_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;

/** `${title} (PostgreSQL)` against DATABASE_URL; without it, a check that CI does set it. */
export function whenDatabase(title: string, body: (url: string) => void): void {
  const url = process.env.DATABASE_URL;
  describe(`${title} (PostgreSQL)`, () => {
    if (url) return body(url);
    it('runs where DATABASE_URL is set, as .ci/run sets it', () => {
      expect(readFileSync(path.join(projectRoot(), '.ci', 'run'), 'utf8')).toMatch(/^export DATABASE_URL="\$\{DATABASE_URL:-postgres:\/\//m);
    });
  });
}

function makeStore(client: SqlClient, dir: string, tableName: (n: number) => string): Store {
  let tables = 0;
  const quoted = (table: string) => table.split('.').map((p) => `"${p}"`).join('.');
  return {
    client,
    newTable: () => tableName(++tables),
    async trail({ key = TRAIL_KEY } = {}) {
      const table = tableName(++tables);
      const checkpointDir = path.join(dir, `checkpoints-${tables}`);
      const base: TrailOptions = {
        client, hashSubject: createSubjectHash(key), clock: steppingClock(), table, sealKey: SEAL_KEY, checkpointDir, replicaId: 'gw-1',
      };
      const trail = createTrail(base);
      await trail.migrate();
      return {
        trail, table: quoted(table), checkpointDir, checkpointFile: path.join(checkpointDir, 'gw-1.jsonl'),
        reopen: (options = {}) => createTrail({ ...base, ...options }),
      };
    },
    tamper: (table, ...statements) => client.transaction(async (tx) => {
      await tx.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      for (const statement of statements) await tx.query(statement);
      await tx.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    }),
  };
}
