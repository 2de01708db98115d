import { GENESIS_HASH, hashRecord, type TrailRecord } from './record.js';

/**
 * Walks the chain in seq order, a batch at a time (memory stays flat with millions of records),
 * and names the FIRST broken link. Each record carries its position (`seq`) and its predecessor's
 * hash inside its own hash, which is what lets the cases be told apart:
 *
 * - changed:   a record's hash does not match its content, and it is no other record's content
 *              either; or (sealed again by whoever changed it) the next record is chained to a
 *              different version of it — then the changed record is named, not the next one.
 * - removed:   a record is chained to a hash no record in the trail has (seq gap, or the rest renumbered).
 * - reordered: a record is chained to a record that comes after it, or it holds the content that
 *              was sealed at another position (contents or seqs swapped).
 * - inserted:  records sit between a record and the one it is chained to, or before record #1.
 *
 * Removing the newest records leaves a valid, shorter chain: compare `head` with one kept outside
 * the database to catch that.
 */
export type BreakReason = 'changed' | 'removed' | 'reordered' | 'inserted';

export type VerifyResult =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; reason: BreakReason; detail: string };

export interface ChainReader {
  /** Records with seq > afterSeq (all when null), in seq order, at most `limit`. */
  after(afterSeq: number | null, limit: number): Promise<TrailRecord[]>;
  withHash(hash: string): Promise<TrailRecord | undefined>;
  withPrevHash(hash: string): Promise<TrailRecord | undefined>;
}

const BATCH = 5_000;
/** How far back through moved records `sealedSeq` follows links before giving up. */
const MAX_DEPTH = 8;
/** How far from its place a record renumbered in bulk (records removed before it) is looked for. */
const SEQ_WINDOW = 256;
/** How many later records are searched for content moved out of a changed record. */
const SWAP_WINDOW = 1_000;

export async function verifyChain(reader: ChainReader, batchSize = BATCH): Promise<VerifyResult> {
  let prev = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  // The next batch is fetched while this one is hashed.
  let next: Promise<TrailRecord[]> | null = reader.after(null, batchSize);
  while (next) {
    const batch: TrailRecord[] = await next;
    next = batch.length === batchSize ? reader.after(batch[batch.length - 1].seq, batchSize) : null;
    for (const r of batch) {
      const sealed = hashRecord(r) === r.hash;
      if (sealed && r.seq === prev.seq + 1 && r.prevHash === prev.hash) {
        prev = r;
        count++;
        continue;
      }
      await next?.catch(() => {});
      return diagnose(reader, r, prev, sealed);
    }
  }
  return { ok: true, count, head: prev.hash };
}

const range = (from: number, to: number) => (from === to ? `#${from}` : `#${from}–#${to}`);
const isSealedAt = (r: TrailRecord, seq: number) => hashRecord({ ...r, seq }) === r.hash;

/** The seq `r` was sealed at, found through its neighbours in the chain; undefined if none fits. */
async function sealedSeq(reader: ChainReader, r: TrailRecord, depth = 0): Promise<number | undefined> {
  if (isSealedAt(r, r.seq)) return r.seq;
  if (depth >= MAX_DEPTH) return undefined;
  const candidates: number[] = [];
  const next = await reader.withPrevHash(r.hash);
  if (next && isSealedAt(next, next.seq)) candidates.push(next.seq - 1);
  if (r.prevHash === GENESIS_HASH) candidates.push(1);
  else {
    const pred = await reader.withHash(r.prevHash);
    const predSeq = pred && (await sealedSeq(reader, pred, depth + 1));
    if (predSeq !== undefined) candidates.push(predSeq + 1);
  }
  const found = candidates.find((seq) => seq !== r.seq && isSealedAt(r, seq));
  if (found !== undefined || depth > 0) return found;
  for (let d = 1; d <= SEQ_WINDOW; d++) {
    if (isSealedAt(r, r.seq + d)) return r.seq + d;
    if (r.seq - d > 0 && isSealedAt(r, r.seq - d)) return r.seq - d;
  }
  return undefined;
}

type Broken = Extract<VerifyResult, { ok: false }>;
const broken = (seq: number, reason: BreakReason, detail: string): Broken => ({ ok: false, seq, reason, detail });

async function diagnose(reader: ChainReader, r: TrailRecord, prev: { seq: number; hash: string }, sealed: boolean): Promise<Broken> {
  if (r.seq <= prev.seq) return broken(r.seq, 'inserted', `record #${r.seq} comes before record #1`);
  const gap = r.seq > prev.seq + 1;
  const many = r.seq - prev.seq > 2;
  const missing = gap ? `record${many ? 's' : ''} ${range(prev.seq + 1, r.seq - 1)} ${many ? 'are' : 'is'} missing` : '';
  const k = sealed ? r.seq : await sealedSeq(reader, r);

  if (k === undefined) {
    if (gap) return broken(r.seq, 'removed', `${missing}, and #${r.seq}'s hash does not match its content`);
    for (const x of await reader.after(r.seq, SWAP_WINDOW)) {
      if (!isSealedAt(x, x.seq) && hashRecord({ ...x, seq: r.seq, prevHash: r.prevHash }) === r.hash) {
        return broken(r.seq, 'reordered', `the content sealed as #${r.seq} is in record #${x.seq}`);
      }
    }
    return broken(r.seq, 'changed', `its hash does not match its content`);
  }

  const moved = k === r.seq ? '' : ` (it was sealed as #${k})`;
  const pred = r.prevHash === GENESIS_HASH ? { seq: 0 } : await reader.withHash(r.prevHash);
  if (!pred) {
    if (gap) return broken(r.seq, 'removed', `${missing}: #${r.seq} is chained to a record that is not in the trail`);
    if (k > r.seq) {
      return broken(r.seq, 'removed', `#${r.seq}${moved} is chained to a record that is not in the trail: records before it were removed and the rest renumbered`);
    }
    if (k === r.seq) {
      return broken(prev.seq, 'changed', `record #${prev.seq} was rewritten and sealed again: #${r.seq} is chained to a different #${prev.seq}`);
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
