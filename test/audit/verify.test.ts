import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chainRecord, GENESIS_HASH, hashRecord, type TrailRecord } from '../../audit/record.js';
import { COLUMNS, insertRecords, rowToRecord, trailTable, type TrailRow } from '../../audit/schema.js';
import { createSealer } from '../../audit/seal.js';
import { CITIZEN, describeStores, OTHER, SEAL_KEY, staffLookup, type Store, type StoreTrail } from './stores.js';

/** Six look-ups, alternating between two people, each with its checkpoint (line n for #n). */
async function sixRecords(store: Store): Promise<StoreTrail & { records: TrailRecord[] }> {
  const opened = await store.trail();
  const records = [];
  for (let n = 0; n < 6; n++) records.push(await opened.trail.append(staffLookup(n % 2 ? OTHER : CITIZEN, n)));
  return { ...opened, records };
}

/**
 * What an intruder with the database and this code, but not the seal key, can do: chain the
 * records again from the first one on, with hashes that match, keeping (or dropping) their seals.
 */
function rechain(records: readonly TrailRecord[], { dropSeals = false } = {}): TrailRecord[] {
  let prevHash = GENESIS_HASH;
  return records.map((r, i) => {
    const body = { ...r, seq: i + 1, prevHash };
    prevHash = hashRecord(body);
    return { ...body, hash: prevHash, seal: dropSeals ? null : r.seal };
  });
}

/** Puts these records in place of the table's, as an intruder with the database can. */
async function replaceRecords(store: Store, table: string, records: readonly TrailRecord[]): Promise<void> {
  await store.tamper(table, `DELETE FROM ${table}`);
  if (records.length > 0) await insertRecords(store.client, trailTable(table.replace(/"/g, '')), records);
}

const rowValues = 'at, actor_kind, actor_staff_id, actor_centre, subject_hash, institution, official, purpose, operation, domains, partners, outcome, refusal';

describeStores('verifying the access trail', (store) => {
  it('finds an empty trail intact', async () => {
    const { trail } = await store().trail();
    expect(await trail.verify()).toEqual({ ok: true, count: 0, head: GENESIS_HASH, sealed: 0, checkpoints: 0 });
  });

  it('finds an untouched trail intact and names its newest hash and what it checked', async () => {
    const { trail, records } = await sixRecords(store());
    expect(await trail.verify()).toEqual({ ok: true, count: 6, head: records[5].hash, sealed: 6, checkpoints: 6 });
  });

  it('names a record whose content was changed', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `UPDATE ${table} SET purpose = 'інша мета' WHERE seq = 3`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'changed', detail: 'its hash does not match its content' });
  });

  it('names a record that was changed and hashed again, not the next one', async () => {
    const { trail, table, records } = await sixRecords(store());
    const forged = { ...records[2], official: 'Хтось Інший' };
    await store().tamper(table, `UPDATE ${table} SET official = 'Хтось Інший', hash = '${hashRecord(forged)}' WHERE seq = 3`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 3, reason: 'changed',
      detail: 'record #3 was rewritten and hashed again: #4 is chained to a different #3',
    });
  });

  it('names the record after one that was removed', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `DELETE FROM ${table} WHERE seq = 3`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 4, reason: 'removed', detail: 'record #3 is missing: #4 is chained to a record that is not in the trail',
    });
  });

  it('names the first record left after several were removed, or the first record itself', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `DELETE FROM ${table} WHERE seq IN (3, 4)`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 5, reason: 'removed', detail: 'records #3–#4 are missing: #5 is chained to a record that is not in the trail',
    });
    await store().tamper(table, `DELETE FROM ${table} WHERE seq = 1`);
    expect(await trail.verify()).toMatchObject({ ok: false, seq: 2, reason: 'removed' });
  });

  it('tells removal with renumbering apart from a changed record', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `DELETE FROM ${table} WHERE seq = 3`, `UPDATE ${table} SET seq = -(seq - 1) WHERE seq > 3`, `UPDATE ${table} SET seq = -seq WHERE seq < 0`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 3, reason: 'removed',
      detail: '#3 (it was hashed as #4) is chained to a record that is not in the trail: records before it were removed and the rest renumbered',
    });
  });

  it('names the first of two records whose seqs were swapped', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `UPDATE ${table} SET seq = -1 WHERE seq = 3`, `UPDATE ${table} SET seq = 3 WHERE seq = 4`, `UPDATE ${table} SET seq = 4 WHERE seq = -1`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'reordered', detail: '#3 (it was hashed as #4) is chained to #4, which comes after it' });
  });

  it('names a reordering of the newest two records, where no record follows to point back', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `UPDATE ${table} SET seq = -1 WHERE seq = 5`, `UPDATE ${table} SET seq = 5 WHERE seq = 6`, `UPDATE ${table} SET seq = 6 WHERE seq = -1`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 5, reason: 'reordered', detail: '#5 (it was hashed as #6) is chained to #6, which comes after it' });
  });

  it('names the first of two records whose whole contents were swapped, hashes included', async () => {
    const { trail, table } = await sixRecords(store());
    const all = `${rowValues}, prev_hash, hash`;
    await store().tamper(table,
      `UPDATE ${table} t SET (${all}) = (SELECT ${all} FROM ${table} o WHERE o.seq = 7 - t.seq) WHERE seq IN (3, 4)`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'reordered', detail: '#3 (it was hashed as #4) is chained to #4, which comes after it' });
  });

  it('names the first of two records whose data were swapped under their hashes', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table,
      `UPDATE ${table} t SET (${rowValues}) = (SELECT ${rowValues} FROM ${table} o WHERE o.seq = 7 - t.seq) WHERE seq IN (3, 4)`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'reordered', detail: 'the content hashed as #3 is in record #4' });
  });

  it('names a record moved to the end by the record that lost its predecessor', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `UPDATE ${table} SET seq = 100 WHERE seq = 3`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 4, reason: 'reordered', detail: '#4 is chained to #100, which comes after it' });
  });

  it('names a forged record slipped in with the later records renumbered', async () => {
    const { trail, table, records } = await sixRecords(store());
    const forged = chainRecord(staffLookup(CITIZEN, 99), { seq: 3, at: new Date(records[2].at), subject: records[2].subject, prevHash: records[1].hash });
    await store().tamper(table, `UPDATE ${table} SET seq = -(seq + 1) WHERE seq >= 3`, `UPDATE ${table} SET seq = -seq WHERE seq < 0`);
    await insertRecords(store().client, trailTable(table.replace(/"/g, '')), [forged]);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 3, reason: 'inserted', detail: 'record #3 is not in the chain: #4 (it was hashed as #3) is chained to #2',
    });
    const { rows } = await store().client.query<TrailRow>(`SELECT ${COLUMNS} FROM ${table} ORDER BY seq`);
    expect(rows.map(rowToRecord).map((r) => r.purpose)).toEqual(['талон А-000', 'талон А-001', 'талон А-099', 'талон А-002', 'талон А-003', 'талон А-004', 'талон А-005']);
  });

  it('names a record placed before record #1', async () => {
    const { trail, table, records } = await sixRecords(store());
    const forged = chainRecord(staffLookup(OTHER), { seq: 0, at: new Date(records[0].at), subject: records[0].subject, prevHash: GENESIS_HASH });
    await insertRecords(store().client, trailTable(table.replace(/"/g, '')), [forged]);
    expect(await trail.verify()).toEqual({ ok: false, seq: 0, reason: 'inserted', detail: 'record #0 comes before record #1' });
  });

  it('names the newest record removed by the checkpoint that recorded it', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `DELETE FROM ${table} WHERE seq = 6`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 6, reason: 'removed', detail: 'records after #5 were removed: checkpoint (file gw-1.jsonl, line 6) recorded #6',
    });
    await store().tamper(table, `DELETE FROM ${table} WHERE seq >= 4`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 4, reason: 'removed', detail: 'records after #3 were removed: checkpoint (file gw-1.jsonl, line 6) recorded #6',
    });
  });

  it('names a trail whose every record was removed', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `DELETE FROM ${table}`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 1, reason: 'removed', detail: 'all records were removed: checkpoint (file gw-1.jsonl, line 6) recorded #6',
    });
  });

  it('names the first record changed when everything after it was hashed again: its seal no longer fits', async () => {
    const { trail, table, records } = await sixRecords(store());
    const edited = records.map((r) => (r.seq === 3 ? { ...r, purpose: 'інша мета' } : r));
    await replaceRecords(store(), table, rechain(edited));
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'unsealed', detail: 'record #3 is not sealed by the trail\'s key' });
    // Dropping the seals from there on does not help: unsealed records may only come before sealed ones.
    await replaceRecords(store(), table, rechain(edited).map((r) => (r.seq >= 3 ? { ...r, seal: null } : r)));
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'unsealed', detail: 'record #3 has no seal, though records before it are sealed' });
  });

  it('names the first record changed when every seal was dropped and the trail hashed again, by its checkpoint', async () => {
    const { trail, table, records } = await sixRecords(store());
    const edited = records.map((r) => (r.seq === 3 ? { ...r, purpose: 'інша мета' } : r));
    await replaceRecords(store(), table, rechain(edited, { dropSeals: true }));
    expect(await trail.verify()).toEqual({
      ok: false, seq: 3, reason: 'changed', detail: 'record #3 is not the record checkpoint (file gw-1.jsonl, line 3) recorded',
    });
    // Seals dropped and nothing else changed: the records are as checkpointed, but a checkpointed record is always sealed.
    await replaceRecords(store(), table, records.map((r) => ({ ...r, seal: null })));
    expect(await trail.verify()).toEqual({
      ok: false, seq: 1, reason: 'unsealed', detail: 'record #1 has no seal, though checkpoint (file gw-1.jsonl, line 1) recorded it',
    });
  });

  it('names the erasure of everything about one person, however the rest was renumbered', async () => {
    const { trail, table, records } = await sixRecords(store());
    const subject = records[0].subject;
    await store().tamper(table, `DELETE FROM ${table} WHERE subject_hash = '${subject}'`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 2, reason: 'removed', detail: 'record #1 is missing: #2 is chained to a record that is not in the trail',
    });
    await replaceRecords(store(), table, rechain(records.filter((r) => r.subject !== subject)));
    expect(await trail.verify()).toEqual({ ok: false, seq: 1, reason: 'unsealed', detail: 'record #1 is not sealed by the trail\'s key' });
  });

  it('names a forged record appended at the end, with no seal or with another record\'s', async () => {
    const { trail, table, records } = await sixRecords(store());
    const forged = chainRecord(staffLookup(CITIZEN, 7), { seq: 7, at: new Date(records[5].at), subject: records[0].subject, prevHash: records[5].hash });
    const t = trailTable(table.replace(/"/g, ''));
    await insertRecords(store().client, t, [forged]);
    expect(await trail.verify()).toEqual({ ok: false, seq: 7, reason: 'unsealed', detail: 'record #7 has no seal, though records before it are sealed' });
    await store().tamper(table, `UPDATE ${table} SET seal = '${records[5].seal}' WHERE seq = 7`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 7, reason: 'unsealed', detail: 'record #7 is not sealed by the trail\'s key' });
  });

  it('names the database replaced by an older copy of itself, and a copy the trail went on from', async () => {
    const { trail, table, records } = await sixRecords(store());
    await replaceRecords(store(), table, records.slice(0, 4));
    expect(await trail.verify()).toEqual({
      ok: false, seq: 5, reason: 'removed', detail: 'records after #4 were removed: checkpoint (file gw-1.jsonl, line 6) recorded #6',
    });
    // The gateway, unaware, records more look-ups on the old copy: #5 and #6 again, and #7.
    for (let n = 0; n < 3; n++) await trail.append(staffLookup(OTHER, 50 + n));
    expect(await trail.verify()).toEqual({
      ok: false, seq: 5, reason: 'changed', detail: 'record #5 is not the record checkpoint (file gw-1.jsonl, line 5) recorded',
    });
  });

  it('names a checkpoint line edited, forged or garbled, and the checkpoints removed', async () => {
    const { trail, checkpointDir, checkpointFile, records } = await sixRecords(store());
    const original = readFileSync(checkpointFile, 'utf8');
    const lines = original.trim().split('\n');
    const edited = { ...JSON.parse(lines[2]), hash: records[1].hash };
    writeFileSync(checkpointFile, [...lines.slice(0, 2), JSON.stringify(edited), ...lines.slice(3)].join('\n') + '\n');
    expect(await trail.verify()).toEqual({ ok: false, seq: null, reason: 'checkpoint', detail: 'checkpoint (file gw-1.jsonl, line 3) is not signed by the trail\'s key' });

    writeFileSync(checkpointFile, original);
    const forged = { seq: 9, hash: 'f'.repeat(64), at: '2026-01-15T10:00:00.000Z', mac: 'e'.repeat(64) };
    writeFileSync(path.join(checkpointDir, 'gw-2.jsonl'), `${JSON.stringify(forged)}\n`);
    expect(await trail.verify()).toEqual({ ok: false, seq: null, reason: 'checkpoint', detail: 'checkpoint (file gw-2.jsonl, line 1) is not signed by the trail\'s key' });

    rmSync(path.join(checkpointDir, 'gw-2.jsonl'));
    appendFileSync(checkpointFile, 'trail intact\n');
    expect(await trail.verify()).toEqual({ ok: false, seq: null, reason: 'checkpoint', detail: 'checkpoint (file gw-1.jsonl, line 7) is not a checkpoint line' });

    rmSync(checkpointFile);
    expect(await trail.verify()).toEqual({
      ok: false, seq: null, reason: 'checkpoint',
      detail: `no checkpoint in ${checkpointDir} records this trail, though 6 of its records are sealed: its checkpoints were removed, or this is not its checkpoint directory`,
    });
  });

  it('accepts records from before sealing as a prefix, pinned by the first sealed record', async () => {
    const { trail, table, reopen } = await store().trail();
    // Records the first trail wrote: hashed in format 1, no seal, no checkpoint.
    const legacy: TrailRecord[] = [];
    for (let n = 0; n < 3; n++) {
      const record = chainRecord(staffLookup(n % 2 ? OTHER : CITIZEN, n), {
        seq: n + 1, at: new Date(Date.UTC(2025, 0, 1, 9, n)), subject: `subject-${n % 2}`, prevHash: legacy[n - 1]?.hash ?? GENESIS_HASH,
      });
      legacy.push({ ...record, hash: hashRecord(record, 1) });
    }
    await insertRecords(store().client, trailTable(table.replace(/"/g, '')), legacy);
    expect(await trail.verify()).toEqual({ ok: true, count: 3, head: legacy[2].hash, sealed: 0, checkpoints: 0 });
    const sealed = [await trail.append(staffLookup(CITIZEN, 3)), await reopen().append(staffLookup(OTHER, 4))];
    expect(sealed.map((r) => [r.seq, r.prevHash])).toEqual([[4, legacy[2].hash], [5, sealed[0].hash]]);
    expect(await trail.verify()).toEqual({ ok: true, count: 5, head: sealed[1].hash, sealed: 2, checkpoints: 2 });

    // The prefix cannot be rewritten: the first sealed record is chained to it.
    const rewritten = rechain([{ ...legacy[0], purpose: 'інша мета' }, legacy[1], legacy[2]]);
    await store().tamper(table, ...rewritten.map((r) => `UPDATE ${table} SET purpose = ${r.purpose === null ? 'NULL' : `'${r.purpose}'`}, prev_hash = '${r.prevHash}', hash = '${r.hash}' WHERE seq = ${r.seq}`));
    expect(await trail.verify()).toEqual({
      ok: false, seq: 3, reason: 'changed', detail: 'record #3 was rewritten and hashed again: #4 is chained to a different #3',
    });
  });
  it('verifies format-2 look-ups followed by format-3 look-ups and issuances, and sees an issuance passed off as a look-up', async () => {
    const { trail, table } = await store().trail();
    // What the trail wrote before records said their action: hashed in format 2, sealed, no action stored.
    const sealer = createSealer(SEAL_KEY);
    const legacy: TrailRecord[] = [];
    for (let n = 0; n < 2; n++) {
      const record = chainRecord(staffLookup(n % 2 ? OTHER : CITIZEN, n), {
        seq: n + 1, at: new Date(Date.UTC(2026, 0, 1, 9, n)), subject: `subject-${n % 2}`, prevHash: legacy[n - 1]?.hash ?? GENESIS_HASH,
      });
      const hash = hashRecord(record, 2);
      legacy.push({ ...record, hash, seal: sealer.seal(hash) });
    }
    await insertRecords(store().client, trailTable(table.replace(/"/g, '')), legacy);
    await store().tamper(table, `UPDATE ${table} SET action = NULL`);
    const issuance = await trail.append({ ...staffLookup(CITIZEN, 2), action: 'ISSUANCE', domains: ['cadastre'], outcome: 'PENDING', partners: [] });
    const completion = await trail.append({ ...staffLookup(CITIZEN, 2), action: 'ISSUANCE', domains: ['cadastre'], outcome: 'ANSWERED', refers: issuance.seq, partners: [{ id: 'cadastre-dzk', outcome: 'ANSWERED' }] });
    const lookup = await trail.append(staffLookup(OTHER, 3));
    expect([issuance, completion, lookup].map((r) => [r.seq, r.action])).toEqual([[3, 'ISSUANCE'], [4, 'ISSUANCE'], [5, 'LOOKUP']]);
    expect(await trail.verify()).toEqual({ ok: true, count: 5, head: lookup.hash, sealed: 5, checkpoints: 3 });
    const { rows } = await store().client.query<TrailRow>(`SELECT ${COLUMNS} FROM ${table} ORDER BY seq`);
    expect(rows.map((r) => r.action)).toEqual([null, null, 'ISSUANCE', 'ISSUANCE', 'LOOKUP']);

    // A completion says what its opening said.
    await expect(trail.append({ ...staffLookup(OTHER, 4), outcome: 'PENDING', action: 'LOOKUP' }).then((opening) =>
      trail.append({ ...staffLookup(OTHER, 4), action: 'ISSUANCE', outcome: 'ANSWERED', refers: opening.seq })))
      .rejects.toThrow('trail entry: refers #6 is a record of another action');

    // An issuance cannot be made to read as a look-up (or as a record from before actions), not even by its format.
    await store().tamper(table, `UPDATE ${table} SET action = NULL WHERE seq = 3`);
    expect(await trail.verify()).toMatchObject({ ok: false, seq: 3 });
  });
});
