import { GENESIS_HASH, hashRecord, sealRecord, type TrailRecord } from '../../audit/record.js';
import { COLUMNS, insertRecords, rowToRecord, trailTable, type TrailRow } from '../../audit/schema.js';
import type { Trail } from '../../audit/trail.js';
import { CITIZEN, describeStores, OTHER, staffLookup, type Store } from './stores.js';

/** Six look-ups, alternating between two people, and the table they are in. */
async function sixRecords(store: Store): Promise<{ trail: Trail; table: string; records: TrailRecord[] }> {
  const { trail, table } = await store.trail();
  const records = [];
  for (let n = 0; n < 6; n++) records.push(await trail.append(staffLookup(n % 2 ? OTHER : CITIZEN, n)));
  return { trail, table, records };
}

const rowValues = 'at, actor_kind, actor_staff_id, actor_centre, subject_hash, institution, official, purpose, operation, domains, partners, outcome, refusal';

describeStores('verifying the access trail', (store) => {
  it('finds an empty trail intact', async () => {
    const { trail } = await store().trail();
    expect(await trail.verify()).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it('finds an untouched trail intact and names its newest hash', async () => {
    const { trail, records } = await sixRecords(store());
    expect(await trail.verify()).toEqual({ ok: true, count: 6, head: records[5].hash });
  });

  it('names a record whose content was changed', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `UPDATE ${table} SET purpose = 'інша мета' WHERE seq = 3`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'changed', detail: 'its hash does not match its content' });
  });

  it('names a record that was changed and sealed again, not the next one', async () => {
    const { trail, table, records } = await sixRecords(store());
    const forged = { ...records[2], official: 'Хтось Інший' };
    await store().tamper(table, `UPDATE ${table} SET official = 'Хтось Інший', hash = '${hashRecord(forged)}' WHERE seq = 3`);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 3, reason: 'changed',
      detail: 'record #3 was rewritten and sealed again: #4 is chained to a different #3',
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
      detail: '#3 (it was sealed as #4) is chained to a record that is not in the trail: records before it were removed and the rest renumbered',
    });
  });

  it('names the first of two records whose seqs were swapped', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `UPDATE ${table} SET seq = -1 WHERE seq = 3`, `UPDATE ${table} SET seq = 3 WHERE seq = 4`, `UPDATE ${table} SET seq = 4 WHERE seq = -1`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'reordered', detail: '#3 (it was sealed as #4) is chained to #4, which comes after it' });
  });

  it('names a reordering of the newest two records, where no record follows to point back', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `UPDATE ${table} SET seq = -1 WHERE seq = 5`, `UPDATE ${table} SET seq = 5 WHERE seq = 6`, `UPDATE ${table} SET seq = 6 WHERE seq = -1`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 5, reason: 'reordered', detail: '#5 (it was sealed as #6) is chained to #6, which comes after it' });
  });

  it('names the first of two records whose whole contents were swapped, hashes included', async () => {
    const { trail, table } = await sixRecords(store());
    const all = `${rowValues}, prev_hash, hash`;
    await store().tamper(table,
      `UPDATE ${table} t SET (${all}) = (SELECT ${all} FROM ${table} o WHERE o.seq = 7 - t.seq) WHERE seq IN (3, 4)`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'reordered', detail: '#3 (it was sealed as #4) is chained to #4, which comes after it' });
  });

  it('names the first of two records whose data were swapped under their hashes', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table,
      `UPDATE ${table} t SET (${rowValues}) = (SELECT ${rowValues} FROM ${table} o WHERE o.seq = 7 - t.seq) WHERE seq IN (3, 4)`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 3, reason: 'reordered', detail: 'the content sealed as #3 is in record #4' });
  });

  it('names a record moved to the end by the record that lost its predecessor', async () => {
    const { trail, table } = await sixRecords(store());
    await store().tamper(table, `UPDATE ${table} SET seq = 100 WHERE seq = 3`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 4, reason: 'reordered', detail: '#4 is chained to #100, which comes after it' });
  });

  it('names a forged record slipped in with the later records renumbered', async () => {
    const { trail, table, records } = await sixRecords(store());
    const forged = sealRecord(staffLookup(CITIZEN, 99), { seq: 3, at: new Date(records[2].at), subject: records[2].subject, prevHash: records[1].hash });
    await store().tamper(table, `UPDATE ${table} SET seq = -(seq + 1) WHERE seq >= 3`, `UPDATE ${table} SET seq = -seq WHERE seq < 0`);
    await insertRecords(store().client, trailTable(table.replace(/"/g, '')), [forged]);
    expect(await trail.verify()).toEqual({
      ok: false, seq: 3, reason: 'inserted', detail: 'record #3 is not in the chain: #4 (it was sealed as #3) is chained to #2',
    });
    const { rows } = await store().client.query<TrailRow>(`SELECT ${COLUMNS} FROM ${table} ORDER BY seq`);
    expect(rows.map(rowToRecord).map((r) => r.purpose)).toEqual(['талон А-000', 'талон А-001', 'талон А-099', 'талон А-002', 'талон А-003', 'талон А-004', 'талон А-005']);
  });

  it('names a record placed before record #1', async () => {
    const { trail, table, records } = await sixRecords(store());
    const forged = sealRecord(staffLookup(OTHER), { seq: 0, at: new Date(records[0].at), subject: records[0].subject, prevHash: GENESIS_HASH });
    await insertRecords(store().client, trailTable(table.replace(/"/g, '')), [forged]);
    expect(await trail.verify()).toEqual({ ok: false, seq: 0, reason: 'inserted', detail: 'record #0 comes before record #1' });
  });
});
