import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../platform/clock.js';
import { BadUserInputError } from '../domain/errors.js';
import { createCheckpointLog } from './checkpoints.js';
import { chainPrepared, checkEntry, GENESIS_HASH, prepareEntry, type PreparedEntry, type TrailEntry, type TrailRecord } from './record.js';
import { COLUMNS, insertStatement, rowToRecord, schemaStatements, trailTable, type TrailRow } from './schema.js';
import { createSealer, TrailSealKeyError } from './seal.js';
import type { SqlClient, SqlQuery } from './sql-client.js';
import { verifyTrail, type VerifyResult } from './verify.js';

export interface TrailOptions {
  client: SqlClient;
  /** Keyed hash (HMAC under the trail key) of a tax id; the trail stores nothing else about whose data it was. */
  hashSubject: (taxId: string) => string;
  clock: Clock;
  /** `[schema.]name` of the records table (default access_trail); tests and the benchmark use their own. */
  table?: string;
  /** TRAIL_SEAL_KEY (32+ characters), which the database must not hold: records are sealed, checkpoints signed with it. */
  sealKey: string;
  /** Where the checkpoints of the head are written and read (TRAIL_CHECKPOINT_DIR): storage the database's owner cannot rewrite. */
  checkpointDir: string;
  /** This process's checkpoint file is `<replicaId>.jsonl` (TRAIL_REPLICA_ID; default the host name). */
  replicaId?: string;
}

export interface TrailPageOptions {
  /** 1..100, default 20. */
  first?: number;
  /** `endCursor` of the previous page. */
  after?: string | null;
}

/**
 * One look-up as a person sees it: its opening record (or its only record), with the partners,
 * outcome and refusal of its completion once one is written (outcome PENDING until then).
 */
export interface TrailLookup extends Omit<TrailRecord, 'refers' | 'prevHash' | 'hash' | 'seal'> {
  /** The completion record, if one was written. */
  completion: { seq: number; at: string } | null;
}

export interface TrailPage {
  records: TrailLookup[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Trail {
  /**
   * Creates the table, its indexes and the append-only triggers if absent, and checks that the
   * trail key and the seal key are the ones the trail was started with (`checkKey: false` to only
   * verify: the trail key is then not needed, and nothing is written).
   */
  migrate(options?: { checkKey?: boolean }): Promise<void>;
  /** Records one look-up at the end of the chain: `appendMany` of one. */
  append(entry: TrailEntry): Promise<TrailRecord>;
  /**
   * Records several entries with consecutive seqs, in one transaction with whatever other appends
   * are waiting (group commit). Resolves once they are committed and a checkpoint covering them is
   * written. Safe with many writers (processes or replicas).
   */
  appendMany(entries: readonly TrailEntry[]): Promise<TrailRecord[]>;
  /** The look-ups of one person's data, newest first, each merged with its completion. */
  forSubject(taxId: string, page?: TrailPageOptions): Promise<TrailPage>;
  /** Checks the chain, the seals and the checkpoints; names the first thing wrong. */
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

type OpeningRow = { seq: string | number; subject_hash: string; action: string | null; refers: string | number | null; outcome: string; completed: boolean };

/**
 * The openings a group's completions refer to, read in the group's first round trip (after the
 * lock, so "completed already" cannot change before the group commits). The seqs are written into
 * the text because that round trip carries no parameters: each was checked to be a safe integer
 * when its entry was appended, and is checked again here, so nothing but digits is ever inlined.
 */
function openingsQuery(records: string, wanted: readonly number[]): string {
  const seqs = wanted.map((r) => {
    if (!Number.isSafeInteger(r) || r < 1) throw new TypeError(`trail entry: refers must be the seq of an opening record, got ${JSON.stringify(r)}`);
    return String(r);
  });
  return `SELECT o.seq, o.subject_hash, o.action, o.refers, o.outcome, EXISTS (SELECT 1 FROM ${records} c WHERE c.refers = o.seq) AS completed
     FROM ${records} o WHERE o.seq = ANY('{${seqs.join(',')}}'::bigint[])`;
}

/**
 * A completion must refer to an earlier opening record of the same person and action that nothing
 * completes yet. Checked per caller of one group: returns, for each caller, what is wrong with its entries
 * (null when nothing), so one caller's bad entry does not fail the others written with it.
 */
function checkRefers(rows: readonly OpeningRow[], batches: ReadonlyArray<{ entries: readonly PreparedEntry[] }>): Array<TypeError | null> {
  const openings = new Map(rows.map((r) => [Number(r.seq), r]));
  const seen = new Set<number>();
  return batches.map(({ entries }) => {
    const mine = new Set<number>();
    for (const entry of entries) {
      const refers = entry.refers;
      if (refers === null) continue;
      const o = openings.get(refers);
      const problem = !o ? 'is not a record of the trail'
        : o.refers !== null || o.outcome !== 'PENDING' ? 'is not an opening record (outcome PENDING)'
          : o.subject_hash !== entry.subject ? 'is a look-up of another person'
            : (o.action ?? 'LOOKUP') !== entry.action ? 'is a record of another action'
              : o.completed || seen.has(refers) || mine.has(refers) ? 'is completed already' : null;
      if (problem) return new TypeError(`trail entry: refers #${refers} ${problem}`);
      mine.add(refers);
    }
    mine.forEach((r) => seen.add(r));
    return null;
  });
}

/** One caller's entries waiting for the next group commit. */
interface Pending {
  /** Copied when appended, with their subjects' hashes: what was checked is what is written. */
  entries: readonly PreparedEntry[];
  resolve(records: TrailRecord[]): void;
  reject(error: unknown): void;
}

/** At most this many records go in one transaction; more wait for the next. */
const MAX_GROUP_RECORDS = 1000;

export function createTrail(options: TrailOptions): Trail {
  const { client, hashSubject, clock, table } = options;
  const t = trailTable(table);
  const lock = lockKey(t.records);
  const sealer = createSealer(options.sealKey);
  const checkpoints = createCheckpointLog({ dir: options.checkpointDir, replicaId: options.replicaId ?? hostname(), sealer, clock });
  const takeLock = (tx: SqlQuery) => tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lock]);
  const select = async (where: string, params: unknown[]) =>
    (await client.query<TrailRow>(`SELECT ${COLUMNS} FROM ${t.records} ${where}`, params)).rows.map(rowToRecord);

  /**
   * Group commit: while one transaction is writing, the appends that arrive wait, and the next
   * transaction writes them all (one lock, one head read, one insert, one checkpoint). Each caller
   * still resolves only once its own records are committed and covered by a checkpoint, so "record
   * before asking the partners" holds as before; the chain is unchanged (consecutive seqs in arrival
   * order). Under load this turns hundreds of lock round-trips a second into a few transactions.
   */
  const queue: Pending[] = [];
  let writing = false;

  async function writeGroup(group: Pending[]): Promise<void> {
    let accepted: Pending[] = [];
    let records: TrailRecord[] = [];
    const wanted = group.flatMap((p) => p.entries.map((e) => e.refers)).filter((r): r is number => r !== null);
    try {
      // Two round trips: BEGIN, the lock, the head and the openings referred to; then the insert
      // with COMMIT. While the lock is held this process is waited for once (to chain and seal the
      // records), the database once (to insert and commit). The head is read by a statement of its
      // own after the lock's, so it sees what the lock's last holder committed.
      const opening = [
        `SELECT pg_advisory_xact_lock('${lock}'::bigint)`,
        `SELECT seq, hash, at FROM ${t.records} ORDER BY seq DESC LIMIT 1`,
        ...(wanted.length > 0 ? [openingsQuery(t.records, wanted)] : []),
      ];
      records = await client.exchange(opening, ([, head, openings = []]) => {
        const problems = checkRefers(openings as OpeningRow[], group);
        accepted = group.filter((p, i) => {
          if (problems[i]) p.reject(problems[i]);
          return !problems[i];
        });
        const last = head[0] as { seq: string | number; hash: string; at: Date | string } | undefined;
        // The clock is read under the lock, and never put before the head's time (a replica whose
        // clock is behind): `at` never goes back as seq goes up.
        const now = clock.now();
        const at = last && new Date(last.at).getTime() > now.getTime() ? new Date(last.at) : now;
        let seq = last ? Number(last.seq) : 0;
        let prevHash = last?.hash ?? GENESIS_HASH;
        const sealed = accepted.flatMap((p) => p.entries.map((entry) => {
          const record = chainPrepared(entry, { seq: ++seq, at, prevHash });
          prevHash = record.hash;
          return { ...record, seal: sealer.seal(record.hash) };
        }));
        return { value: sealed, closing: sealed.length > 0 ? [insertStatement(t, sealed)] : [] };
      });
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    }
    // The next group may be written while this checkpoint is (checkpoints of later heads cover
    // earlier records); the callers hear back only once one covering their records is written.
    const covered = records.length > 0 ? checkpoints.publish(records[records.length - 1]) : Promise.resolve();
    let at = 0;
    for (const p of accepted) {
      const mine = records.slice(at, at + p.entries.length);
      at += p.entries.length;
      covered.then(() => p.resolve(mine), p.reject);
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const group: Pending[] = [];
        let size = 0;
        while (queue.length > 0 && (group.length === 0 || size + queue[0].entries.length <= MAX_GROUP_RECORDS)) {
          const next = queue.shift()!;
          size += next.entries.length;
          group.push(next);
        }
        await writeGroup(group);
      }
    } finally {
      writing = false;
    }
  }

  function appendMany(entries: readonly TrailEntry[]): Promise<TrailRecord[]> {
    if (entries.length === 0) return Promise.resolve([]);
    try {
      entries.forEach(checkEntry);
      const prepared = entries.map((e) => prepareEntry(e, hashSubject(e.subject)));
      return new Promise<TrailRecord[]>((resolve, reject) => {
        queue.push({ entries: prepared, resolve, reject });
        if (!writing) void drain();
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  return {
    async migrate({ checkKey = true } = {}) {
      const check = checkKey ? hashSubject(KEY_CHECK_INPUT) : null;
      await client.transaction(async (tx) => {
        await takeLock(tx);
        for (const statement of schemaStatements(t)) await tx.query(statement);
        if (check !== null) {
          // The seal check is recorded by the first start that seals (a trail from before sealing has none).
          await tx.query(
            `INSERT INTO ${t.meta} (id, key_check, seal_check) VALUES (1, $1, $2)
             ON CONFLICT (id) DO UPDATE SET seal_check = COALESCE(${t.meta}.seal_check, EXCLUDED.seal_check)`,
            [check, sealer.keyCheck],
          );
        }
        const { rows } = await tx.query<{ key_check: string; seal_check: string | null }>(`SELECT key_check, seal_check FROM ${t.meta}`);
        if (check !== null && rows[0]?.key_check !== check) throw new TrailKeyError();
        if (rows[0]?.seal_check != null && rows[0].seal_check !== sealer.keyCheck) throw new TrailSealKeyError();
      });
    },

    async append(entry) {
      return (await appendMany([entry]))[0];
    },

    appendMany,

    async forSubject(taxId, { first = 20, after } = {}) {
      if (!Number.isInteger(first) || first < 1 || first > 100) {
        throw new BadUserInputError(`first: expected a whole number from 1 to 100, got ${first}`);
      }
      const before = after == null ? null : decodeCursor(after);
      // One more than asked tells whether there is a next page. Keyset, not OFFSET: page 10,000
      // costs what page 1 does. Each look-up's completion is one index probe.
      const { rows } = await client.query<TrailRow & CompletionColumns>(
        `SELECT o.*, c.seq AS c_seq, c.at AS c_at, c.partners AS c_partners, c.outcome AS c_outcome, c.refusal AS c_refusal
         FROM (SELECT ${COLUMNS} FROM ${t.records}
               WHERE subject_hash = $1 AND refers IS NULL ${before === null ? '' : 'AND seq < $3'}
               ORDER BY seq DESC LIMIT $2) o
         LEFT JOIN LATERAL (SELECT seq, at, partners, outcome, refusal FROM ${t.records} c
                            WHERE c.refers = o.seq AND c.subject_hash = o.subject_hash ORDER BY c.seq LIMIT 1) c ON true
         ORDER BY o.seq DESC`,
        before === null ? [hashSubject(taxId), first + 1] : [hashSubject(taxId), first + 1, before],
      );
      const page = rows.slice(0, first).map(toLookup);
      return {
        records: page,
        hasNextPage: rows.length > first,
        endCursor: page.length ? encodeCursor(page[page.length - 1].seq) : null,
      };
    },

    verify() {
      return verifyTrail({
        after: (afterSeq, limit) => afterSeq === null
          ? select('ORDER BY seq LIMIT $1', [limit])
          : select('WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit]),
        // Only asked when a link is broken, so these may scan the table.
        withHash: async (hash) => (await select('WHERE hash = $1 ORDER BY seq LIMIT 1', [hash]))[0],
        withPrevHash: async (hash) => (await select('WHERE prev_hash = $1 ORDER BY seq LIMIT 1', [hash]))[0],
        atSeqs: async (seqs) => (await client.query<{ seq: string | number; hash: string; seal: string | null }>(
          `SELECT seq, hash, seal FROM ${t.records} WHERE seq = ANY($1::bigint[])`, [seqs])).rows
          .map((r) => ({ seq: Number(r.seq), hash: r.hash, seal: r.seal })),
      }, { sealer, checkpointDir: options.checkpointDir });
    },
  };
}

type CompletionColumns = {
  c_seq: string | number | null; c_at: Date | string | null; c_partners: TrailRow['partners'] | null; c_outcome: string | null; c_refusal: string | null;
};

function toLookup(row: TrailRow & CompletionColumns): TrailLookup {
  const r = rowToRecord(row);
  const lookup: TrailLookup = {
    seq: r.seq, at: r.at, action: r.action, actor: r.actor, subject: r.subject, institution: r.institution, official: r.official,
    purpose: r.purpose, operation: r.operation, domains: r.domains, partners: r.partners, outcome: r.outcome,
    refusal: r.refusal, completion: null,
  };
  if (row.c_seq === null) return lookup;
  const done = rowToRecord({ ...row, seq: row.c_seq, at: row.c_at!, partners: row.c_partners!, outcome: row.c_outcome!, refusal: row.c_refusal });
  return { ...lookup, partners: done.partners, outcome: done.outcome, refusal: done.refusal, completion: { seq: done.seq, at: done.at } };
}
