import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TrailEntry, TrailRecord } from '../../audit/record.js';
import { CITIZEN, describeStores, OTHER, staffLookup, steppingClock } from './stores.js';

/**
 * Two replicas (two trails, each with its own queue and group commits, on one table) writing at
 * once: on PostgreSQL their transactions run on different connections and meet at the trail's
 * lock; the embedded store runs them one after the other.
 */
const lineCount = (file: string) => readFileSync(file, 'utf8').trim().split('\n').length;
const opening = (subject: string, n: number): TrailEntry => ({ ...staffLookup(subject, n), partners: [], outcome: 'PENDING' });

describeStores('two replicas on one trail', (store) => {
  it('keep one chain when both append at once: seqs 1..N, each chained to the one before, `at` never going back', async () => {
    const { trail: first, table, checkpointDir, reopen } = await store().trail();
    const second = reopen({ replicaId: 'gw-2' });
    const openings = await first.appendMany([opening(CITIZEN, 1), opening(OTHER, 2), opening(CITIZEN, 3)]);
    const written: Array<Promise<TrailRecord[]>> = [];
    for (let wave = 0; wave < 3; wave++) {
      for (let n = 0; n < 12; n++) {
        written.push(first.append(staffLookup(n % 2 ? CITIZEN : OTHER, n)).then((r) => [r]));
        written.push(second.appendMany([staffLookup(OTHER, n), opening(CITIZEN, n)]));
      }
    }
    // Each replica completes an opening the other wrote, at once with everything else.
    written.push(second.append({ ...staffLookup(CITIZEN, 1), refers: openings[0].seq }).then((r) => [r]));
    written.push(first.append({ ...staffLookup(OTHER, 2), refers: openings[1].seq }).then((r) => [r]));
    const records = [...openings, ...(await Promise.all(written)).flat()];

    const total = 3 + 3 * 12 * 3 + 2;
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const { rows } = await store().client.query<{ seq: string | number; at: Date | string; prev_hash: string; hash: string }>(
      `SELECT seq, at, prev_hash, hash FROM ${table} ORDER BY seq`);
    const bySeq = new Map(records.map((r) => [r.seq, r]));
    rows.forEach((row, i) => {
      // What each caller was given is what is stored.
      expect(bySeq.get(Number(row.seq))).toMatchObject({ hash: row.hash, prevHash: row.prev_hash, at: new Date(row.at).toISOString() });
      if (i > 0) {
        expect(row.prev_hash).toBe(rows[i - 1].hash);
        expect(new Date(row.at).getTime()).toBeGreaterThanOrEqual(new Date(rows[i - 1].at).getTime());
      }
    });
    expect(rows).toHaveLength(total);
    const checkpoints = lineCount(path.join(checkpointDir, 'gw-1.jsonl')) + lineCount(path.join(checkpointDir, 'gw-2.jsonl'));
    expect(await first.verify()).toEqual({ ok: true, count: total, head: rows[total - 1].hash, sealed: total, checkpoints });
  });

  it('let exactly one of two completions of one opening, sent by both at once, be written', async () => {
    const { trail: first, reopen } = await store().trail();
    const second = reopen({ replicaId: 'gw-2' });
    const [open] = await first.appendMany([opening(CITIZEN, 1)]);
    const results = await Promise.allSettled([first, second].map((trail) => trail.appendMany([{ ...staffLookup(CITIZEN, 1), refers: open.seq }])));
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? 'written' : (r.reason as Error).message)).sort();
    expect(outcomes).toEqual(['trail entry: refers #1 is completed already', 'written']);
    expect(await first.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('never date a record before the head when a replica\'s clock is behind', async () => {
    const { trail: first, reopen } = await store().trail();
    const behind = reopen({ replicaId: 'gw-2', clock: steppingClock('2026-01-15T08:00:00.000Z') });
    const a = await first.append(staffLookup(CITIZEN, 1));
    const b = await behind.append(staffLookup(OTHER, 2));
    const c = await first.append(staffLookup(CITIZEN, 3));
    expect([a, b, c].map((r) => [r.seq, r.at])).toEqual([
      [1, '2026-01-15T09:00:00.000Z'], [2, '2026-01-15T09:00:00.000Z'], [3, '2026-01-15T09:00:02.000Z']]);
    expect(await first.verify()).toMatchObject({ ok: true, count: 3, sealed: 3, checkpoints: 3 });
  });
});
