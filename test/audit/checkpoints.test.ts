import { createHmac, hkdfSync } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkpointFiles, checkpointLines, createCheckpointLog } from '../../audit/checkpoints.js';
import { createSealer } from '../../audit/seal.js';
import { SEAL_KEY, steppingClock } from './stores.js';

const HASH = '0ca19aede61033c5eb73500e1f102f3088f68497172dd341b3d963d7c38fc94d';
const sealer = createSealer(SEAL_KEY);

/** The documented derivation, written out: HKDF-SHA256 (salt "vikno access trail", info the use), then HMAC-SHA256. */
const subkey = (use: string) => Buffer.from(hkdfSync('sha256', SEAL_KEY, 'vikno access trail', use, 32));
const mac = (use: string, text: string) => createHmac('sha256', subkey(use)).update(text).digest('hex');

describe('sealing with a key the database does not hold', () => {
  it('seals a record\'s hash with the record subkey and signs a checkpoint with another', () => {
    expect(sealer.seal(HASH)).toBe(mac('record seals', HASH));
    expect(sealer.seal(HASH)).toBe('253019d5aaba0a6e73a8f860c4a5ea04aee10cf62e1ec8660f99fb4de51b086c');
    const checkpoint = { seq: 7, hash: HASH, at: '2026-01-15T09:00:00.000Z' };
    expect(sealer.signCheckpoint(checkpoint)).toBe(mac('checkpoints', `vikno trail checkpoint 1\n7\n${HASH}\n2026-01-15T09:00:00.000Z`));
    expect(sealer.keyCheck).toBe(subkey('key check').toString('base64url'));
    // One use cannot stand in for another, and no other key makes the same seal.
    expect(new Set([sealer.seal(HASH), sealer.signCheckpoint(checkpoint), createSealer(`${SEAL_KEY}!`).seal(HASH)]).size).toBe(3);
  });

  it('accepts only the exact seal and signature', () => {
    const checkpoint = { seq: 7, hash: HASH, at: '2026-01-15T09:00:00.000Z' };
    expect(sealer.isSealed(HASH, sealer.seal(HASH))).toBe(true);
    expect(sealer.isSealed(HASH, sealer.seal(HASH.replace('0c', '0d')))).toBe(false);
    expect(sealer.isSealed(HASH, '')).toBe(false);
    expect(sealer.isSignedCheckpoint(checkpoint, sealer.signCheckpoint(checkpoint))).toBe(true);
    expect(sealer.isSignedCheckpoint({ ...checkpoint, seq: 8 }, sealer.signCheckpoint(checkpoint))).toBe(false);
  });

  it('refuses a key shorter than 32 characters', () => {
    expect(() => createSealer('x'.repeat(31))).toThrow(new TypeError('TRAIL_SEAL_KEY: must be at least 32 characters'));
  });
});

describe('the checkpoint file of one process', () => {
  let dir: string;
  beforeEach(() => { dir = path.join(mkdtempSync(path.join(tmpdir(), 'vikno-cp-')), 'checkpoints'); });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));
  const lines = (file: string) => readFileSync(file, 'utf8').split('\n');
  const line = (seq: number, hash: string, at: string) => JSON.stringify({ seq, hash, at, mac: sealer.signCheckpoint({ seq, hash, at }) });

  it('writes one signed line per head, owner-only, named by the replica', async () => {
    const log = createCheckpointLog({ dir, replicaId: 'gw-1', sealer, clock: steppingClock() });
    await log.publish({ seq: 1, hash: 'a'.repeat(64) });
    await log.publish({ seq: 2, hash: 'b'.repeat(64) });
    expect(log.file).toBe(path.join(dir, 'gw-1.jsonl'));
    expect(lines(log.file)).toEqual([
      line(1, 'a'.repeat(64), '2026-01-15T09:00:00.000Z'), line(2, 'b'.repeat(64), '2026-01-15T09:00:01.000Z'), '']);
    expect(statSync(log.file).mode & 0o777).toBe(0o600);
  });

  it('shares one write among heads published while a write is under way, and resolves each', async () => {
    const log = createCheckpointLog({ dir, replicaId: 'gw-1', sealer, clock: steppingClock() });
    const done = [1, 2, 5, 4, 3].map((seq) => log.publish({ seq, hash: String(seq).repeat(64) }));
    await Promise.all(done);
    // A head already covered by a written checkpoint needs no line of its own.
    await log.publish({ seq: 4, hash: '4'.repeat(64) });
    expect(lines(log.file)).toEqual([line(1, '1'.repeat(64), '2026-01-15T09:00:00.000Z'), line(5, '5'.repeat(64), '2026-01-15T09:00:01.000Z'), '']);
  });

  it('starts on a new line after a line a crash cut short, and reads it as not a checkpoint', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'gw-1.jsonl'), `${line(1, 'a'.repeat(64), '2026-01-15T08:00:00.000Z')}\n{"seq":2,"ha`);
    const log = createCheckpointLog({ dir, replicaId: 'gw-1', sealer, clock: steppingClock() });
    await log.publish({ seq: 3, hash: 'c'.repeat(64) });
    const read = [];
    for await (const l of checkpointLines(dir, await checkpointFiles(dir), sealer)) read.push(l);
    expect(read).toEqual([
      { file: 'gw-1.jsonl', line: 1, ok: true, checkpoint: { seq: 1, hash: 'a'.repeat(64), at: '2026-01-15T08:00:00.000Z' } },
      { file: 'gw-1.jsonl', line: 2, ok: false, problem: 'not a checkpoint line' },
      { file: 'gw-1.jsonl', line: 3, ok: true, checkpoint: { seq: 3, hash: 'c'.repeat(64), at: '2026-01-15T09:00:00.000Z' } },
    ]);
  });

  it('rejects every append waiting on a write that failed, and writes again on the next', async () => {
    writeFileSync(path.dirname(dir) + '/blocker', '');
    const log = createCheckpointLog({ dir: path.join(path.dirname(dir), 'blocker'), replicaId: 'gw-1', sealer, clock: steppingClock() });
    const failed = [log.publish({ seq: 1, hash: 'a'.repeat(64) }), log.publish({ seq: 2, hash: 'b'.repeat(64) })];
    for (const f of failed) await expect(f).rejects.toMatchObject({ code: 'EEXIST' });
    rmSync(path.join(path.dirname(dir), 'blocker'));
    await expect(log.publish({ seq: 2, hash: 'b'.repeat(64) })).resolves.toBeUndefined();
    expect(lines(path.join(path.dirname(dir), 'blocker', 'gw-1.jsonl'))).toHaveLength(2);
  });

  it('reads only as much of each file as was there when listed', async () => {
    const log = createCheckpointLog({ dir, replicaId: 'gw-2', sealer, clock: steppingClock() });
    await log.publish({ seq: 1, hash: 'a'.repeat(64) });
    const files = await checkpointFiles(dir);
    appendFileSync(log.file, `${line(2, 'b'.repeat(64), '2026-01-15T09:00:05.000Z')}\n`);
    const read = [];
    for await (const l of checkpointLines(dir, files, sealer)) read.push(l);
    expect(read).toEqual([{ file: 'gw-2.jsonl', line: 1, ok: true, checkpoint: { seq: 1, hash: 'a'.repeat(64), at: '2026-01-15T09:00:00.000Z' } }]);
    expect(await checkpointFiles(path.join(dir, 'none'))).toEqual([]);
  });

  it('refuses a replica id that is not a plain file name', () => {
    for (const replicaId of ['', '../gw', 'a/b', '.hidden', 'x'.repeat(65)]) {
      expect(() => createCheckpointLog({ dir, replicaId, sealer, clock: steppingClock() })).toThrow(
        new TypeError(`TRAIL_REPLICA_ID: expected 1 to 64 letters, digits, '.', '_' or '-', got ${JSON.stringify(replicaId)}`));
    }
  });
});
