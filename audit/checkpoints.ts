import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Clock } from '../platform/clock.js';
import type { Checkpoint, TrailSealer } from './seal.js';

/**
 * Signed checkpoints of the trail's head, kept outside the database: one append-only JSON-lines
 * file per process in a directory the operator puts where the database's owner cannot rewrite it
 * (README, "Access trail"). A line is `{"seq":…,"hash":…,"at":…,"mac":…}`; `mac` is the HMAC of
 * the checkpoint under the seal key's checkpoint subkey. Records removed or rewritten in the
 * database no longer match the checkpoints that recorded them.
 */
export interface CheckpointLog {
  /** This process's file. */
  readonly file: string;
  /**
   * Resolves once a checkpoint covering `head.seq` is written. Concurrent calls share writes: a
   * checkpoint of a later head covers every record before it, as the hash chain pins them.
   */
  publish(head: { seq: number; hash: string }): Promise<void>;
}

const REPLICA_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export function checkReplicaId(id: string): string {
  if (!REPLICA_ID.test(id)) throw new TypeError(`TRAIL_REPLICA_ID: expected 1 to 64 letters, digits, '.', '_' or '-', got ${JSON.stringify(id)}`);
  return id;
}

export function createCheckpointLog(options: { dir: string; replicaId: string; sealer: TrailSealer; clock: Clock }): CheckpointLog {
  const { dir, sealer, clock } = options;
  const file = path.join(dir, `${checkReplicaId(options.replicaId)}.jsonl`);
  let written = 0;
  let inFlight = 0;
  let wanted: { seq: number; hash: string } | null = null;
  let running = false;
  let waiters: Array<{ seq: number; resolve: () => void; reject: (error: unknown) => void }> = [];
  /** What goes before the first line: a newline, if a crash left the file without one. */
  let lead: string | null = null;
  /**
   * The file, open for appending while checkpoints keep coming: one write per checkpoint instead of
   * an open, a write and a close (each a trip through the thread pool that the callers wait for).
   * Closed after a second without one, and after a failed write, so the next opens it anew.
   */
  let handle: FileHandle | null = null;
  let idle: NodeJS.Timeout | undefined;
  const IDLE_MS = 1000;

  const settle = (upTo: number, error?: unknown) => {
    const done = waiters.filter((w) => w.seq <= upTo);
    waiters = waiters.filter((w) => w.seq > upTo);
    for (const w of done) error === undefined ? w.resolve() : w.reject(error);
  };

  async function opened(): Promise<FileHandle> {
    if (handle) return handle;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const h = await open(file, 'a+', 0o600);
    try {
      if (lead === null) {
        const { size } = await h.stat();
        const last = Buffer.alloc(1);
        if (size > 0) await h.read(last, 0, 1, size - 1);
        lead = size > 0 && last[0] !== 0x0a ? '\n' : '';
      }
    } catch (error) {
      await h.close().catch(() => {});
      throw error;
    }
    handle = h;
    return h;
  }

  function close(): void {
    const h = handle;
    handle = null;
    void h?.close().catch(() => { /* nothing is waiting on it: the next write opens the file again */ });
  }

  async function append(line: string): Promise<void> {
    const h = await opened();
    try {
      const bytes = Buffer.from(`${lead}${line}`);
      // 'a+' appends every write at the end; a short write is finished, never left as half a line.
      for (let at = 0; at < bytes.length;) at += (await h.write(bytes, at)).bytesWritten;
      lead = '';
    } catch (error) {
      // Part of the line may be in the file: the next open looks at its last byte again.
      lead = null;
      if (handle === h) close();
      throw error;
    }
  }

  async function drain(): Promise<void> {
    running = true;
    clearTimeout(idle);
    while (wanted) {
      const head = wanted;
      wanted = null;
      inFlight = head.seq;
      try {
        const checkpoint: Checkpoint = { seq: head.seq, hash: head.hash, at: clock.now().toISOString() };
        const line = `${JSON.stringify({ ...checkpoint, mac: sealer.signCheckpoint(checkpoint) })}\n`;
        await append(line);
        written = Math.max(written, head.seq);
        settle(written);
      } catch (error) {
        inFlight = written;
        settle(head.seq, error);
      }
    }
    running = false;
    if (handle) idle = setTimeout(close, IDLE_MS).unref();
  }

  return {
    file,
    publish(head) {
      if (head.seq <= written) return Promise.resolve();
      const done = new Promise<void>((resolve, reject) => waiters.push({ seq: head.seq, resolve, reject }));
      if (head.seq > inFlight && (!wanted || head.seq > wanted.seq)) wanted = head;
      if (!running) void drain();
      return done;
    },
  };
}

/** A line of a checkpoint file: a checkpoint whose signature holds, or what is wrong with it. */
export type CheckpointLine = { file: string; line: number } & (
  | { ok: true; checkpoint: Checkpoint }
  | { ok: false; problem: 'not a checkpoint line' | "not signed by the trail's key" });

const HEX64 = /^[0-9a-f]{64}$/;

function parse(text: string): (Checkpoint & { mac: string }) | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = value as Partial<Record<'seq' | 'hash' | 'at' | 'mac', unknown>> | null;
  if (!v || typeof v !== 'object' || !Number.isSafeInteger(v.seq) || (v.seq as number) < 1) return null;
  if (typeof v.hash !== 'string' || !HEX64.test(v.hash) || typeof v.mac !== 'string' || !HEX64.test(v.mac)) return null;
  if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) return null;
  return { seq: v.seq as number, hash: v.hash, at: v.at, mac: v.mac };
}

/**
 * The checkpoint files in `dir` and their sizes now, by name. Verifying reads only this much, so
 * lines written while the chain is walked (after records the walk will see) are not taken for
 * records that went missing.
 */
export async function checkpointFiles(dir: string): Promise<Array<{ name: string; size: number }>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(names.map(async (name) => ({ name, size: (await stat(path.join(dir, name))).size })));
}

/** Every non-empty line of those files, checked against the key, one at a time (memory stays flat). */
export async function* checkpointLines(dir: string, files: ReadonlyArray<{ name: string; size: number }>, sealer: TrailSealer): AsyncGenerator<CheckpointLine> {
  for (const { name, size } of files) {
    if (size === 0) continue;
    const lines = createInterface({ input: createReadStream(path.join(dir, name), { start: 0, end: size - 1 }), crlfDelay: Infinity });
    let n = 0;
    for await (const text of lines) {
      n += 1;
      if (text.trim() === '') continue;
      const parsed = parse(text);
      if (!parsed) {
        yield { file: name, line: n, ok: false, problem: 'not a checkpoint line' };
        continue;
      }
      const { mac, ...checkpoint } = parsed;
      yield sealer.isSignedCheckpoint(checkpoint, mac)
        ? { file: name, line: n, ok: true, checkpoint }
        : { file: name, line: n, ok: false, problem: "not signed by the trail's key" };
    }
  }
}
