import { readFileSync } from 'node:fs';
import type { TrailWriter } from '../../gateway/access.js';
import type { AccessTrail } from '../../subgraphs/centre/access-log.js';
import { createSubjectHash } from '../../audit/open.js';
import { CITIZEN_PORTAL, GENESIS_HASH, hashRecord, type TrailEntry } from '../../audit/record.js';
import { createSealer, TrailSealKeyError } from '../../audit/seal.js';
import { encodeCursor, TrailKeyError, type Trail, type TrailLookup } from '../../audit/trail.js';
import { asLookup, CITIZEN, describeStores, OTHER, SEAL_KEY, staffLookup, TRAIL_KEY } from './stores.js';

const subjectHash = createSubjectHash(TRAIL_KEY);
const sealer = createSealer(SEAL_KEY);

const checkpointSeqs = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).seq);

// The gateway writes the trail and the centre reads it through these interfaces: a trail must fit both (checked by tsc).
export const fitsGatewayAndCentre = (trail: Trail): TrailWriter & AccessTrail => trail;

describeStores('the access trail', (store) => {
  it('records a look-up and reads back exactly that record, chained to the genesis hash', async () => {
    const { trail } = await store().trail();
    const first = await trail.append(staffLookup(CITIZEN, 1));
    const citizenOwn: TrailEntry = {
      actor: { kind: 'citizen' }, subject: CITIZEN, institution: CITIZEN_PORTAL, operation: 'Me',
      domains: ['cadastre'], partners: [{ id: 'cadastre-dzk', outcome: 'STALE' }], outcome: 'ANSWERED',
    };
    const second = await trail.append(citizenOwn);

    const expectedFirst = {
      seq: 1, at: '2026-01-15T09:00:00.000Z', action: 'LOOKUP',
      actor: { kind: 'staff', staffId: 's-101', centre: 'cnap-kryvyi-rih' },
      subject: subjectHash(CITIZEN), institution: 'ЦНАП м. Кривий Ріг', official: 'Оксана Петренко',
      purpose: 'талон А-001', operation: 'Overview', domains: ['gas', 'water'],
      partners: [{ id: 'gas-kryvyi-rih', outcome: 'ANSWERED' }, { id: 'water-kryvyi-rih', outcome: 'PARTNER_TIMEOUT' }],
      outcome: 'PARTIAL', refusal: null, refers: null, prevHash: GENESIS_HASH, hash: first.hash, seal: sealer.seal(first.hash),
    };
    expect(first).toEqual(expectedFirst);
    expect(first.hash).toBe(hashRecord(first));
    expect(second).toEqual({
      // The clock steps once for each record and once for each checkpoint.
      seq: 2, at: '2026-01-15T09:00:02.000Z', action: 'LOOKUP', actor: { kind: 'citizen' }, subject: subjectHash(CITIZEN),
      institution: 'Портал громадянина', official: null, purpose: null, operation: 'Me', domains: ['cadastre'],
      partners: [{ id: 'cadastre-dzk', outcome: 'STALE' }], outcome: 'ANSWERED', refusal: null, refers: null,
      prevHash: first.hash, hash: hashRecord(second), seal: sealer.seal(second.hash),
    });
    expect(await trail.forSubject(CITIZEN)).toEqual({
      records: [asLookup(second), asLookup(first)], hasNextPage: false, endCursor: encodeCursor(1),
    });
  });

  it('writes the opening records of a request in one transaction with consecutive seqs and one checkpoint', async () => {
    const { trail, checkpointFile } = await store().trail();
    const before = await trail.append(staffLookup(OTHER, 0));
    const opened = await trail.appendMany([CITIZEN, OTHER, '3806211170'].map((subject) => ({ ...staffLookup(subject, 1), partners: [], outcome: 'PENDING' as const })));
    expect(opened.map((r) => [r.seq, r.outcome, r.at, r.refers])).toEqual([
      [2, 'PENDING', '2026-01-15T09:00:02.000Z', null], [3, 'PENDING', '2026-01-15T09:00:02.000Z', null], [4, 'PENDING', '2026-01-15T09:00:02.000Z', null],
    ]);
    expect(opened.map((r) => r.prevHash)).toEqual([before.hash, opened[0].hash, opened[1].hash]);
    expect(checkpointSeqs(checkpointFile)).toEqual([1, 4]);
    expect(await trail.appendMany([])).toEqual([]);
    expect(await trail.verify()).toEqual({ ok: true, count: 4, head: opened[2].hash, sealed: 4, checkpoints: 2 });
  });

  it('shows a look-up recorded in two phases as one item: the opening, completed by its completion', async () => {
    const { trail } = await store().trail();
    const [opening, otherOpening] = await trail.appendMany([
      { ...staffLookup(CITIZEN, 1), partners: [], outcome: 'PENDING' }, { ...staffLookup(OTHER, 1), partners: [], outcome: 'PENDING' }]);
    const pendingView: TrailLookup = { ...asLookup(opening), outcome: 'PENDING', partners: [] };
    expect((await trail.forSubject(CITIZEN)).records).toEqual([pendingView]);

    const [completion] = await trail.appendMany([
      { ...staffLookup(CITIZEN, 1), refers: opening.seq, outcome: 'PARTIAL', partners: [{ id: 'gas-kryvyi-rih', outcome: 'ANSWERED' }, { id: 'water-kryvyi-rih', outcome: 'PARTNER_TIMEOUT' }] },
    ]);
    expect(completion).toMatchObject({ seq: 3, refers: 1, outcome: 'PARTIAL' });
    const refusedLater = await trail.append({ ...staffLookup(CITIZEN, 2), partners: [], outcome: 'REFUSED', refusal: 'FORBIDDEN' });
    expect(await trail.forSubject(CITIZEN)).toEqual({
      records: [
        asLookup(refusedLater),
        { ...pendingView, partners: completion.partners, outcome: 'PARTIAL', refusal: null, completion: { seq: 3, at: completion.at } },
      ],
      hasNextPage: false, endCursor: encodeCursor(1),
    });
    expect((await trail.forSubject(OTHER)).records).toEqual([{ ...asLookup(otherOpening), outcome: 'PENDING' }]);
    // A completion may be a refusal, with its code.
    await trail.append({ ...staffLookup(OTHER, 1), refers: otherOpening.seq, partners: [], outcome: 'REFUSED', refusal: 'RATE_LIMITED' });
    expect((await trail.forSubject(OTHER)).records).toMatchObject([{ seq: 2, outcome: 'REFUSED', refusal: 'RATE_LIMITED', completion: { seq: 5 } }]);
    expect(await trail.verify()).toMatchObject({ ok: true, count: 5, sealed: 5 });
  });

  it('refuses a completion of a record that is not an open look-up of the same person, writing nothing', async () => {
    const { trail } = await store().trail();
    const [opening] = await trail.appendMany([{ ...staffLookup(CITIZEN), outcome: 'PENDING' }]);
    const single = await trail.append(staffLookup(CITIZEN, 1));
    const complete = (refers: number, subject = CITIZEN) => trail.appendMany([staffLookup(OTHER, 9), { ...staffLookup(subject), refers }]);
    await expect(complete(99)).rejects.toThrow(new TypeError('trail entry: refers #99 is not a record of the trail'));
    await expect(complete(single.seq)).rejects.toThrow(new TypeError('trail entry: refers #2 is not an opening record (outcome PENDING)'));
    await expect(complete(opening.seq, OTHER)).rejects.toThrow(new TypeError('trail entry: refers #1 is a look-up of another person'));
    await expect(trail.appendMany([{ ...staffLookup(CITIZEN), refers: 1 }, { ...staffLookup(CITIZEN), refers: 1 }])).rejects.toThrow(
      new TypeError('trail entry: refers #1 is completed already'));
    await complete(opening.seq);
    await expect(complete(opening.seq)).rejects.toThrow(new TypeError('trail entry: refers #1 is completed already'));
    expect(await trail.verify()).toMatchObject({ ok: true, count: 4 });
  });

  it('records a refusal before any partner is asked as one record with its code', async () => {
    const { trail } = await store().trail();
    const refused = await trail.append({ ...staffLookup(OTHER), domains: [], partners: [], outcome: 'REFUSED', refusal: 'FORBIDDEN' });
    expect((await trail.forSubject(OTHER)).records).toEqual([asLookup(refused)]);
    expect(refused).toMatchObject({ outcome: 'REFUSED', refusal: 'FORBIDDEN', domains: [], partners: [], refers: null });
    expect(await trail.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('pages a person\'s trail newest first, exactly, and never shows anyone else\'s records', async () => {
    const { trail } = await store().trail();
    const mine = [];
    for (let n = 0; n < 7; n++) {
      mine.push(await trail.append(staffLookup(CITIZEN, n)));
      await trail.append(staffLookup(OTHER, n));
    }
    const newest = [...mine].reverse().map(asLookup);
    const page1 = await trail.forSubject(CITIZEN, { first: 3 });
    expect(page1).toEqual({ records: newest.slice(0, 3), hasNextPage: true, endCursor: encodeCursor(newest[2].seq) });
    const page2 = await trail.forSubject(CITIZEN, { first: 3, after: page1.endCursor });
    expect(page2).toEqual({ records: newest.slice(3, 6), hasNextPage: true, endCursor: encodeCursor(newest[5].seq) });
    const page3 = await trail.forSubject(CITIZEN, { first: 3, after: page2.endCursor });
    expect(page3).toEqual({ records: newest.slice(6), hasNextPage: false, endCursor: encodeCursor(newest[6].seq) });
    expect(await trail.forSubject(CITIZEN, { first: 7 })).toEqual({ records: newest, hasNextPage: false, endCursor: encodeCursor(mine[0].seq) });
    // Completions are not look-ups of their own: a page counts look-ups.
    const [opening] = await trail.appendMany([{ ...staffLookup(CITIZEN, 8), outcome: 'PENDING' }]);
    await trail.append({ ...staffLookup(CITIZEN, 8), refers: opening.seq });
    expect((await trail.forSubject(CITIZEN, { first: 2 })).records.map((r) => [r.seq, r.completion?.seq])).toEqual([[15, 16], [13, undefined]]);
    await trail.append(staffLookup(OTHER, 8));
    expect((await trail.forSubject(CITIZEN)).records.map((r) => r.seq)).toEqual([15, 13, 11, 9, 7, 5, 3, 1]);
    expect((await trail.forSubject(OTHER)).records.map((r) => r.seq)).toEqual([17, 14, 12, 10, 8, 6, 4, 2]);
    expect(await trail.forSubject('3806211170')).toEqual({ records: [], hasNextPage: false, endCursor: null });
  });

  it('refuses a cursor it did not make and a page size outside 1..100 with BAD_USER_INPUT', async () => {
    const { trail } = await store().trail();
    for (const after of ['', 'MA', 'LTE', 'not a cursor', Buffer.from('1; drop').toString('base64url')]) {
      await expect(trail.forSubject(CITIZEN, { after })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'after: not a cursor of the access trail' });
    }
    for (const first of [0, 101, 2.5]) {
      await expect(trail.forSubject(CITIZEN, { first })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: `first: expected a whole number from 1 to 100, got ${first}` });
    }
    expect((await trail.forSubject(CITIZEN, { first: 100 })).records).toEqual([]);
  });

  it('stores no tax id anywhere, only its keyed hash', async () => {
    const { trail, table, checkpointFile } = await store().trail();
    await trail.append(staffLookup(CITIZEN));
    await trail.append({ actor: { kind: 'citizen' }, subject: OTHER, institution: CITIZEN_PORTAL, outcome: 'FAILED', refusal: 'PARTNER_UNAVAILABLE' });
    const { rows } = await store().client.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
    const meta = await store().client.query<{ row: string }>(`SELECT m::text AS row FROM ${table.replace(/"$/, '_meta"')} m`);
    const stored = [...rows, ...meta.rows].map((r) => r.row).join('\n');
    expect(rows).toHaveLength(2);
    expect(stored).toContain(subjectHash(CITIZEN));
    expect(stored).not.toContain(CITIZEN);
    expect(stored).not.toContain(OTHER);
    // Nor the seal key: whoever can read the database cannot seal.
    expect(stored).not.toContain(SEAL_KEY);
    expect(readFileSync(checkpointFile, 'utf8')).not.toMatch(new RegExp(`${CITIZEN}|${OTHER}|${SEAL_KEY}`));
  });

  it('keeps one chain when twenty look-ups are recorded at once, each answered after a checkpoint covers it', async () => {
    const { trail, checkpointFile } = await store().trail();
    const covered: number[] = [];
    const records = await Promise.all(Array.from({ length: 20 }, (_, n) => trail.append(staffLookup(n % 2 ? CITIZEN : OTHER, n)).then((r) => {
      covered.push(Math.max(...checkpointSeqs(checkpointFile)) - r.seq);
      return r;
    })));
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    expect(covered.every((d) => d >= 0)).toBe(true);
    const written = checkpointSeqs(checkpointFile);
    expect(written[written.length - 1]).toBe(20);
    expect(written).toEqual([...written].sort((a, b) => a - b));
    expect(await trail.verify()).toEqual({ ok: true, count: 20, head: records.find((r) => r.seq === 20)!.hash, sealed: 20, checkpoints: written.length });
  });

  it('writes appends that arrive while one is being written together, in arrival order; a bad one fails alone', async () => {
    const { trail, checkpointFile } = await store().trail();
    const [opening] = await trail.appendMany([{ ...staffLookup(CITIZEN, 1), partners: [], outcome: 'PENDING' }]);
    // Sent at once: each waits for the transaction being written, then goes in the next with the others waiting.
    const first = trail.append(staffLookup(OTHER, 2));
    const waiting = [
      trail.appendMany([staffLookup(OTHER, 3), staffLookup(CITIZEN, 4)]),
      trail.appendMany([{ ...staffLookup(OTHER, 5), refers: opening.seq }]), // another person's opening
      trail.appendMany([{ ...staffLookup(CITIZEN, 6), refers: opening.seq }]),
      trail.appendMany([{ ...staffLookup(CITIZEN, 7), refers: opening.seq }]), // completed by the one before it
    ];
    const results = await Promise.allSettled([first, ...waiting]);
    expect(results.map((r) => (r.status === 'fulfilled' ? [r.value].flat().map((x) => x.seq) : (r.reason as Error).message))).toEqual([
      [2],
      [3, 4],
      'trail entry: refers #1 is a look-up of another person',
      [5],
      'trail entry: refers #1 is completed already',
    ]);
    // At most one checkpoint per transaction: the opening's, then at most the first append's and the group's.
    const written = checkpointSeqs(checkpointFile);
    expect(written[0]).toBe(1);
    expect(written[written.length - 1]).toBe(5);
    expect(written.length).toBeLessThanOrEqual(3);
    expect(await trail.verify()).toMatchObject({ ok: true, count: 5, sealed: 5 });
  });

  it('writes an entry as it was when appended, whatever its caller changes in it while it waits', async () => {
    const { trail } = await store().trail();
    const [open] = await trail.appendMany([{ ...staffLookup(CITIZEN, 1), partners: [], outcome: 'PENDING' }]);
    const entry: TrailEntry = { ...staffLookup(CITIZEN, 2), refers: open.seq, domains: ['gas'] };
    const written = trail.append(entry);
    Object.assign(entry, { refers: 99, subject: OTHER, purpose: 'змінено' });
    (entry.domains as string[]).push('water');
    expect(await written).toMatchObject({ seq: 2, refers: 1, subject: subjectHash(CITIZEN), purpose: 'талон А-002', domains: ['gas'] });
    expect(await trail.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('stores text holding quotes, backslashes and dollar quotes exactly as given', async () => {
    const { trail, table } = await store().trail();
    const hostile = ["it's", 'a\\b\\\'c', '$r0$', '$$', "$r0$'); DROP TABLE x; --", '"quoted"\n{json}', 'ґ€😀'];
    const records = await trail.appendMany(hostile.map((text, n) => ({
      ...staffLookup(CITIZEN, n), purpose: text, official: text, domains: [text, 'gas'], partners: [{ id: text, outcome: text }], refusal: text,
    })));
    expect(records.map((r) => [r.purpose, r.official, r.domains, r.partners, r.refusal])).toEqual(
      hostile.map((text) => [text, text, [text, 'gas'], [{ id: text, outcome: text }], text]));
    const { rows } = await store().client.query<{ purpose: string; domains: string[] }>(`SELECT purpose, domains FROM ${table} ORDER BY seq`);
    expect(rows).toEqual(hostile.map((text) => ({ purpose: text, domains: [text, 'gas'] })));
    expect((await trail.forSubject(CITIZEN)).records).toEqual([...records].reverse().map(asLookup));
    expect(await trail.verify()).toMatchObject({ ok: true, count: hostile.length, sealed: hostile.length });
  });

  it('rejects exactly the callers of a transaction that fails, and goes on with the chain after it', async () => {
    const { trail, table } = await store().trail();
    // A constraint of this test's own makes one group's insert fail in the database.
    await store().client.query(`ALTER TABLE ${table} ADD CONSTRAINT no_refused_purpose CHECK (purpose IS DISTINCT FROM 'відмова')`);
    const first = trail.append(staffLookup(OTHER, 1));
    // Arriving while the first is written, these two go in the next transaction together.
    const failing = trail.append({ ...staffLookup(CITIZEN, 2), purpose: 'відмова' });
    const withIt = trail.append(staffLookup(CITIZEN, 3));
    const results = await Promise.allSettled([first, failing, withIt]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.seq : (r.reason as Error).message.includes('no_refused_purpose')))).toEqual([1, true, true]);
    const after = await trail.append(staffLookup(CITIZEN, 4));
    expect(after).toMatchObject({ seq: 2, prevHash: (await first).hash });
    expect(await trail.verify()).toMatchObject({ ok: true, count: 2, sealed: 2 });
  });

  it('refuses an UPDATE, DELETE or TRUNCATE of the trail in the database itself', async () => {
    const { trail, table } = await store().trail();
    await trail.append(staffLookup(CITIZEN));
    for (const sql of [`UPDATE ${table} SET purpose = 'x'`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
      await expect(store().client.query(sql)).rejects.toThrow('the access trail is append-only');
    }
    expect(await trail.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('refuses to start on a trail sealed under another seal key, naming TRAIL_SEAL_KEY', async () => {
    const { reopen } = await store().trail();
    await expect(reopen().migrate()).resolves.toBeUndefined();
    await expect(reopen({ sealKey: 'another seal key of at least 32 characters' }).migrate()).rejects.toThrow(
      new TrailSealKeyError());
    await expect(reopen({ sealKey: 'another seal key of at least 32 characters' }).migrate({ checkKey: false })).rejects.toThrow(
      'TRAIL_SEAL_KEY is not the key this trail was sealed with: its seals and checkpoints could not be checked');
  });

  it('refuses to start on a trail written under another key, which would hide every person\'s records', async () => {
    const { reopen } = await store().trail();
    await expect(reopen().migrate()).resolves.toBeUndefined();
    const other = reopen({ hashSubject: createSubjectHash('another key of 16+ chars') });
    await expect(other.migrate()).rejects.toThrow(TrailKeyError);
    await expect(other.migrate({ checkKey: false })).resolves.toBeUndefined();
  });

  it('rejects a malformed entry with a TypeError naming the field', async () => {
    const { trail } = await store().trail();
    await expect(trail.append({ ...staffLookup(CITIZEN), outcome: 'OK' as never })).rejects.toThrow(
      new TypeError('trail entry: outcome must be one of PENDING, ANSWERED, PARTIAL, REFUSED, FAILED, got "OK"'));
    await expect(trail.append({ ...staffLookup(CITIZEN), actor: { kind: 'staff', centre: 'c' } as never })).rejects.toThrow(
      new TypeError('trail entry: actor.staffId must be a string, got undefined'));
    await expect(trail.append({ ...staffLookup(CITIZEN), actor: { kind: 'robot' } as never })).rejects.toThrow(
      new TypeError('trail entry: actor.kind must be one of staff, citizen, got "robot"'));
    // One bad entry of a batch: none of it is written.
    await expect(trail.appendMany([staffLookup(CITIZEN), { ...staffLookup(OTHER), purpose: 'п'.repeat(101) }])).rejects.toThrow(
      new TypeError('trail entry: purpose must be at most 100 characters, got 101'));
    expect(await trail.verify()).toEqual({ ok: true, count: 0, head: GENESIS_HASH, sealed: 0, checkpoints: 0 });
  });
});
