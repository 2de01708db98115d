import { checkpointFiles, checkpointLines, type CheckpointLine } from './checkpoints.js';
import { GENESIS_HASH, hashMatches, type TrailRecord } from './record.js';
import type { TrailSealer } from './seal.js';

/**
 * Checks the trail in three ways, and names the first thing wrong:
 *
 * 1. the chain, in seq order, a batch at a time (memory stays flat with millions of records);
 * 2. each record's seal, an HMAC of its hash under a key the database does not hold: a record
 *    edited and hashed again, or added, by someone with only the database is not sealed by it
 *    ("unsealed"). Records written before sealing existed have none, and are accepted only before
 *    the first sealed record, whose hash pins them;
 * 3. the signed checkpoints of the head kept outside the database: a record a checkpoint recorded
 *    must be in the trail with the hash it had ("removed", "changed"), which catches the newest
 *    records removed, every record removed, and the database replaced by an older copy. A line
 *    that is not a checkpoint signed by the key is named too ("checkpoint").
 *
 * Each record carries its position (`seq`) and its predecessor's hash inside its own hash, which
 * is what lets the cases of a broken chain be told apart:
 *
 * - changed:   a record's hash does not match its content, and it is no other record's content
 *              either; or (hashed again by whoever changed it) the next record is chained to a
 *              different version of it — then the changed record is named, not the next one.
 * - removed:   a record is chained to a hash no record in the trail has (seq gap, or the rest renumbered).
 * - reordered: a record is chained to a record that comes after it, or it holds the content that
 *              was hashed at another position (contents or seqs swapped).
 * - inserted:  records sit between a record and the one it is chained to, or before record #1.
 *
 * What no check here can catch: records removed after the newest checkpoint by someone who can
 * also rewrite the checkpoint directory.
 */
export type BreakReason = 'changed' | 'removed' | 'reordered' | 'inserted' | 'unsealed' | 'checkpoint';

export type VerifyResult =
  /** `sealed` records had a valid seal; `checkpoints` lines were checked against the trail. */
  | { ok: true; count: number; head: string; sealed: number; checkpoints: number }
  /** `seq` is the record the break is at; null when it is in the checkpoints alone. */
  | { ok: false; seq: number | null; reason: BreakReason; detail: string };

export interface ChainReader {
  /** Records with seq > afterSeq (all when null), in seq order, at most `limit`. */
  after(afterSeq: number | null, limit: number): Promise<TrailRecord[]>;
  withHash(hash: string): Promise<TrailRecord | undefined>;
  withPrevHash(hash: string): Promise<TrailRecord | undefined>;
  /** The hash and seal of those of these seqs that are in the trail. */
  atSeqs(seqs: number[]): Promise<Array<{ seq: number; hash: string; seal: string | null }>>;
}

export interface VerifyOptions {
  sealer: TrailSealer;
  checkpointDir: string;
  batchSize?: number;
}

const BATCH = 5_000;
const CHECKPOINT_BATCH = 1_000;
const UNSEALED_RANK = Number.MAX_SAFE_INTEGER / 2;
/** How far back through moved records `hashedSeq` follows links before giving up. */
const MAX_DEPTH = 8;
/** How far from its place a record renumbered in bulk (records removed before it) is looked for. */
const SEQ_WINDOW = 256;
/** How many later records are searched for content moved out of a changed record. */
const SWAP_WINDOW = 1_000;

export async function verifyTrail(reader: ChainReader, options: VerifyOptions): Promise<VerifyResult> {
  // Listed before the walk: every checkpoint in them recorded a record the walk will reach.
  const files = await checkpointFiles(options.checkpointDir);
  const chain = await verifyChain(reader, options.sealer, options.batchSize);
  if (!chain.ok) return chain;
  const lines = checkpointLines(options.checkpointDir, files, options.sealer);
  const checked = await checkCheckpoints(reader, lines, chain.seq);
  if ('ok' in checked) return checked;
  if (checked.count === 0 && chain.sealed > 0) {
    return broken(null, 'checkpoint', `no checkpoint in ${options.checkpointDir} records this trail, though ${chain.sealed} of its records are sealed: `
      + 'its checkpoints were removed, or this is not its checkpoint directory');
  }
  return { ok: true, count: chain.count, head: chain.head, sealed: chain.sealed, checkpoints: checked.count };
}

type Walked = { ok: true; count: number; head: string; seq: number; sealed: number };

export async function verifyChain(reader: ChainReader, sealer: TrailSealer, batchSize = BATCH): Promise<Walked | Broken> {
  let prev = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  let sealed = 0;
  // The next batch is fetched while this one is hashed.
  let next: Promise<TrailRecord[]> | null = reader.after(null, batchSize);
  while (next) {
    const batch: TrailRecord[] = await next;
    next = batch.length === batchSize ? reader.after(batch[batch.length - 1].seq, batchSize) : null;
    for (const [i, r] of batch.entries()) {
      const hashed = hashMatches(r, r.hash);
      const problem = hashed && r.seq === prev.seq + 1 && r.prevHash === prev.hash ? sealProblem(r, sealer, sealed) : 'link';
      if (problem === null) {
        prev = r;
        count++;
        if (r.seal !== null) sealed++;
        continue;
      }
      await next?.catch(() => {});
      if (problem === 'link') return diagnose(reader, r, prev, hashed);
      const following = i + 1 < batch.length ? batch[i + 1] : (await next?.catch(() => undefined))?.[0];
      // A record that does not carry its seal, and the next is not chained to it as it is: the
      // chain says more about what happened (rewritten, inserted) than the seal does.
      if (following && !(following.seq === r.seq + 1 && following.prevHash === r.hash && hashMatches(following, following.hash))) {
        return diagnose(reader, following, r, hashMatches(following, following.hash));
      }
      return broken(r.seq, 'unsealed', problem);
    }
  }
  return { ok: true, count, head: prev.hash, seq: prev.seq, sealed };
}

function sealProblem(r: TrailRecord, sealer: TrailSealer, sealedBefore: number): string | null {
  if (r.seal === null) return sealedBefore > 0 ? `record #${r.seq} has no seal, though records before it are sealed` : null;
  return sealer.isSealed(r.hash, r.seal) ? null : `record #${r.seq} is not sealed by the trail's key`;
}

/** Every signed checkpoint must find the record it recorded, as it was; the lowest break is named. */
async function checkCheckpoints(reader: ChainReader, lines: AsyncIterable<CheckpointLine>, head: number): Promise<Broken | { count: number }> {
  let count = 0;
  let found: { rank: number; tie: number; result: Broken } | null = null;
  const consider = (rank: number, tie: number, result: Broken) => {
    if (!found || rank < found.rank || (rank === found.rank && tie > found.tie)) found = { rank, tie, result };
  };
  let chunk: Array<Extract<CheckpointLine, { ok: true }>> = [];
  const flush = async () => {
    const rows = new Map((await reader.atSeqs(chunk.map((c) => c.checkpoint.seq))).map((r) => [r.seq, r]));
    for (const { file, line, checkpoint: { seq, hash } } of chunk) {
      const where = `checkpoint (file ${file}, line ${line})`;
      const r = rows.get(seq);
      if (!r && seq > head) {
        // The highest such checkpoint says the most about how much is gone.
        consider(head + 1, seq, broken(head + 1, 'removed', `${head === 0 ? 'all records were removed' : `records after #${head} were removed`}: ${where} recorded #${seq}`));
      } else if (!r) consider(seq, 0, broken(seq, 'removed', `record #${seq} was removed: ${where} recorded it`));
      else if (r.hash !== hash) consider(seq, 0, broken(seq, 'changed', `record #${seq} is not the record ${where} recorded`));
      // Below any record removed or changed: a seal dropped from a record as it was says less.
      else if (r.seal === null) consider(UNSEALED_RANK + seq, 0, broken(seq, 'unsealed', `record #${seq} has no seal, though ${where} recorded it`));
    }
    chunk = [];
  };
  for await (const line of lines) {
    if (!line.ok) {
      consider(Infinity, 0, broken(null, 'checkpoint', `checkpoint (file ${line.file}, line ${line.line}) is ${line.problem}`));
      continue;
    }
    count++;
    chunk.push(line);
    if (chunk.length === CHECKPOINT_BATCH) await flush();
  }
  if (chunk.length > 0) await flush();
  return (found as { result: Broken } | null)?.result ?? { count };
}

const range = (from: number, to: number) => (from === to ? `#${from}` : `#${from}–#${to}`);
const isHashedAt = (r: TrailRecord, seq: number) => hashMatches({ ...r, seq }, r.hash);

/** The seq `r` was hashed at, found through its neighbours in the chain; undefined if none fits. */
async function hashedSeq(reader: ChainReader, r: TrailRecord, depth = 0): Promise<number | undefined> {
  if (isHashedAt(r, r.seq)) return r.seq;
  if (depth >= MAX_DEPTH) return undefined;
  const candidates: number[] = [];
  const next = await reader.withPrevHash(r.hash);
  if (next && isHashedAt(next, next.seq)) candidates.push(next.seq - 1);
  if (r.prevHash === GENESIS_HASH) candidates.push(1);
  else {
    const pred = await reader.withHash(r.prevHash);
    const predSeq = pred && (await hashedSeq(reader, pred, depth + 1));
    if (predSeq !== undefined) candidates.push(predSeq + 1);
  }
  const found = candidates.find((seq) => seq !== r.seq && isHashedAt(r, seq));
  if (found !== undefined || depth > 0) return found;
  for (let d = 1; d <= SEQ_WINDOW; d++) {
    if (isHashedAt(r, r.seq + d)) return r.seq + d;
    if (r.seq - d > 0 && isHashedAt(r, r.seq - d)) return r.seq - d;
  }
  return undefined;
}

type Broken = Extract<VerifyResult, { ok: false }>;
const broken = (seq: number | null, reason: BreakReason, detail: string): Broken => ({ ok: false, seq, reason, detail });

async function diagnose(reader: ChainReader, r: TrailRecord, prev: { seq: number; hash: string }, hashed: boolean): Promise<Broken> {
  if (r.seq <= prev.seq) return broken(r.seq, 'inserted', `record #${r.seq} comes before record #1`);
  const gap = r.seq > prev.seq + 1;
  const many = r.seq - prev.seq > 2;
  const missing = gap ? `record${many ? 's' : ''} ${range(prev.seq + 1, r.seq - 1)} ${many ? 'are' : 'is'} missing` : '';
  const k = hashed ? r.seq : await hashedSeq(reader, r);

  if (k === undefined) {
    if (gap) return broken(r.seq, 'removed', `${missing}, and #${r.seq}'s hash does not match its content`);
    for (const x of await reader.after(r.seq, SWAP_WINDOW)) {
      if (!isHashedAt(x, x.seq) && hashMatches({ ...x, seq: r.seq, prevHash: r.prevHash }, r.hash)) {
        return broken(r.seq, 'reordered', `the content hashed as #${r.seq} is in record #${x.seq}`);
      }
    }
    return broken(r.seq, 'changed', `its hash does not match its content`);
  }

  const moved = k === r.seq ? '' : ` (it was hashed as #${k})`;
  const pred = r.prevHash === GENESIS_HASH ? { seq: 0 } : await reader.withHash(r.prevHash);
  if (!pred) {
    if (gap) return broken(r.seq, 'removed', `${missing}: #${r.seq} is chained to a record that is not in the trail`);
    if (k > r.seq) {
      return broken(r.seq, 'removed', `#${r.seq}${moved} is chained to a record that is not in the trail: records before it were removed and the rest renumbered`);
    }
    if (k === r.seq) {
      return broken(prev.seq, 'changed', `record #${prev.seq} was rewritten and hashed again: #${r.seq} is chained to a different #${prev.seq}`);
    }
    return broken(r.seq, 'removed', `#${r.seq}${moved} is chained to a record that is not in the trail`);
  }
  if (pred.seq >= r.seq) {
    return broken(r.seq, 'reordered', `#${r.seq}${moved} is chained to #${pred.seq}, which comes after it`);
  }
  if (pred.seq < prev.seq) {
    return broken(pred.seq + 1, 'inserted', `record${r.seq - pred.seq > 2 ? 's' : ''} ${range(pred.seq + 1, r.seq - 1)} ${r.seq - pred.seq > 2 ? 'are' : 'is'} not in the chain: #${r.seq}${moved} is chained to #${pred.seq}`);
  }
  // Chained to the record before it, yet out of place: its seq was edited.
  return broken(r.seq, 'changed', gap ? `${missing} though #${r.seq} is chained to #${prev.seq}: its seq was changed` : `its seq was changed${moved}`);
}
