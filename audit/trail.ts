import { createHash } from 'node:crypto';
import type { Clock } from '../adapters/core/clock.js';
import { BadUserInputError } from '../domain/errors.js';
import { checkEntry, GENESIS_HASH, sealRecord, type TrailEntry, type TrailRecord } from './record.js';
import { COLUMNS, insertRecords, rowToRecord, schemaStatements, trailTable, type TrailRow } from './schema.js';
import type { SqlClient, SqlQuery } from './sql-client.js';
import { verifyChain, type VerifyResult } from './verify.js';

export interface TrailOptions {
  client: SqlClient;
  /** Keyed hash (HMAC under the trail key) of a tax id; the trail stores nothing else about whose data it was. */
  hashSubject: (taxId: string) => string;
  clock: Clock;
  /** `[schema.]name` of the records table (default access_trail); tests and the benchmark use their own. */
  table?: string;
}

export interface TrailPageOptions {
  /** 1..100, default 20. */
  first?: number;
  /** `endCursor` of the previous page. */
  after?: string | null;
}

export interface TrailPage {
  records: TrailRecord[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Trail {
  /**
   * Creates the table, its index and the append-only triggers if absent, and checks that the trail
   * key is the one the trail was started with (skip with `checkKey: false` to only verify).
   */
  migrate(options?: { checkKey?: boolean }): Promise<void>;
  /** Records one look-up at the end of the chain. Safe with many writers (processes or replicas). */
  append(entry: TrailEntry): Promise<TrailRecord>;
  /** The look-ups of one person's data, newest first. */
  forSubject(taxId: string, page?: TrailPageOptions): Promise<TrailPage>;
  /** Checks the whole chain; names the first broken link. */
  verify(): Promise<VerifyResult>;
}

export class TrailKeyError extends Error {
  constructor() {
    super('TRAIL_KEY is not the key this trail was written with: records could not be found by person');
    this.name = 'TrailKeyError';
  }
}

/** base64url of the seq: opaque to clients, checked strictly on the way back. */
export const encodeCursor = (seq: number) => Buffer.from(String(seq)).toString('base64url');

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!/^[1-9]\d{0,15}$/.test(text) || encodeCursor(Number(text)) !== cursor) {
    throw new BadUserInputError('after: not a cursor of the access trail');
  }
  return Number(text);
}

/** Every append of one table takes this lock, so there is one chain and no fork. */
function lockKey(records: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`vikno access trail ${records}`).digest('hex').slice(0, 16)}`)).toString();
}

/** A value no tax id can be: its keyed hash tells whether a later start uses the same key. */
const KEY_CHECK_INPUT = '\u0000vikno trail key check';

export function createTrail({ client, hashSubject, clock, table }: TrailOptions): Trail {
  const t = trailTable(table);
  const lock = lockKey(t.records);
  const takeLock = (tx: SqlQuery) => tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lock]);
  const select = async (where: string, params: unknown[]) =>
    (await client.query<TrailRow>(`SELECT ${COLUMNS} FROM ${t.records} ${where}`, params)).rows.map(rowToRecord);

  return {
    async migrate({ checkKey = true } = {}) {
      const check = checkKey ? hashSubject(KEY_CHECK_INPUT) : null;
      await client.transaction(async (tx) => {
        await takeLock(tx);
        for (const statement of schemaStatements(t)) await tx.query(statement);
        if (check === null) return;
        await tx.query(`INSERT INTO ${t.meta} (id, key_check) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [check]);
        const { rows } = await tx.query<{ key_check: string }>(`SELECT key_check FROM ${t.meta}`);
        if (rows[0]?.key_check !== check) throw new TrailKeyError();
      });
    },

    async append(entry) {
      checkEntry(entry);
      const subject = hashSubject(entry.subject);
      return client.transaction(async (tx) => {
        await takeLock(tx);
        const { rows } = await tx.query<{ seq: string | number; hash: string }>(
          `SELECT seq, hash FROM ${t.records} ORDER BY seq DESC LIMIT 1`,
        );
        const last = rows[0];
        // The clock is read under the lock, so `at` never goes back as seq goes up (one clock).
        const record = sealRecord(entry, {
          seq: last ? Number(last.seq) + 1 : 1, at: clock.now(), subject, prevHash: last?.hash ?? GENESIS_HASH,
        });
        await insertRecords(tx, t, [record]);
        return record;
      });
    },

    async forSubject(taxId, { first = 20, after } = {}) {
      if (!Number.isInteger(first) || first < 1 || first > 100) {
        throw new BadUserInputError(`first: expected a whole number from 1 to 100, got ${first}`);
      }
      const before = after == null ? null : decodeCursor(after);
      // One more than asked tells whether there is a next page. Keyset, not OFFSET: page 10,000
      // costs what page 1 does.
      const records = before === null
        ? await select('WHERE subject_hash = $1 ORDER BY seq DESC LIMIT $2', [hashSubject(taxId), first + 1])
        : await select('WHERE subject_hash = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3', [hashSubject(taxId), before, first + 1]);
      const page = records.slice(0, first);
      return {
        records: page,
        hasNextPage: records.length > first,
        endCursor: page.length ? encodeCursor(page[page.length - 1].seq) : null,
      };
    },

    verify() {
      return verifyChain({
        after: (afterSeq, limit) => afterSeq === null
          ? select('ORDER BY seq LIMIT $1', [limit])
          : select('WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit]),
        // Only asked when a link is broken, so these may scan the table.
        withHash: async (hash) => (await select('WHERE hash = $1 ORDER BY seq LIMIT 1', [hash]))[0],
        withPrevHash: async (hash) => (await select('WHERE prev_hash = $1 ORDER BY seq LIMIT 1', [hash]))[0],
      });
    },
  };
}
