import type { TrailWriter } from '../../gateway/access.js';
import type { AccessTrail } from '../../subgraphs/centre/access-log.js';
import { createSubjectHash } from '../../audit/open.js';
import { CITIZEN_PORTAL, GENESIS_HASH, hashRecord, type TrailEntry } from '../../audit/record.js';
import { createTrail, encodeCursor, TrailKeyError, type Trail } from '../../audit/trail.js';
import { CITIZEN, describeStores, OTHER, staffLookup, steppingClock, TRAIL_KEY } from './stores.js';

const subjectHash = createSubjectHash(TRAIL_KEY);

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
      seq: 1, at: '2026-01-15T09:00:00.000Z',
      actor: { kind: 'staff', staffId: 's-101', centre: 'cnap-kryvyi-rih' },
      subject: subjectHash(CITIZEN), institution: 'ЦНАП м. Кривий Ріг', official: 'Оксана Петренко',
      purpose: 'талон А-001', operation: 'Overview', domains: ['gas', 'water'],
      partners: [{ id: 'gas-kryvyi-rih', outcome: 'ANSWERED' }, { id: 'water-kryvyi-rih', outcome: 'PARTNER_TIMEOUT' }],
      outcome: 'PARTIAL', refusal: null, prevHash: GENESIS_HASH, hash: first.hash,
    };
    expect(first).toEqual(expectedFirst);
    expect(first.hash).toBe(hashRecord(first));
    expect(second).toEqual({
      seq: 2, at: '2026-01-15T09:00:01.000Z', actor: { kind: 'citizen' }, subject: subjectHash(CITIZEN),
      institution: 'Портал громадянина', official: null, purpose: null, operation: 'Me', domains: ['cadastre'],
      partners: [{ id: 'cadastre-dzk', outcome: 'STALE' }], outcome: 'ANSWERED', refusal: null,
      prevHash: first.hash, hash: hashRecord(second),
    });
    expect(await trail.forSubject(CITIZEN)).toEqual({
      records: [second, first], hasNextPage: false, endCursor: encodeCursor(1),
    });
  });

  it('records a refusal with its code, also of a caller the gateway could not identify', async () => {
    const { trail } = await store().trail();
    const refused = await trail.append({ ...staffLookup(OTHER), domains: [], partners: [], outcome: 'REFUSED', refusal: 'FORBIDDEN' });
    const anonymous = await trail.append({
      actor: { kind: 'unknown' }, subject: OTHER, institution: 'unknown caller', official: null, purpose: null,
      operation: 'Overview', domains: ['gas'], partners: [], outcome: 'REFUSED', refusal: 'UNAUTHENTICATED',
    });
    expect((await trail.forSubject(OTHER)).records).toEqual([anonymous, refused]);
    expect(refused).toMatchObject({ outcome: 'REFUSED', refusal: 'FORBIDDEN', domains: [], partners: [] });
    expect(anonymous).toMatchObject({ seq: 2, actor: { kind: 'unknown' }, refusal: 'UNAUTHENTICATED' });
    expect(await trail.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('pages a person\'s trail newest first, exactly, and never shows anyone else\'s records', async () => {
    const { trail } = await store().trail();
    const mine = [];
    for (let n = 0; n < 7; n++) {
      mine.push(await trail.append(staffLookup(CITIZEN, n)));
      await trail.append(staffLookup(OTHER, n));
    }
    const newest = [...mine].reverse();
    const page1 = await trail.forSubject(CITIZEN, { first: 3 });
    expect(page1).toEqual({ records: newest.slice(0, 3), hasNextPage: true, endCursor: encodeCursor(newest[2].seq) });
    const page2 = await trail.forSubject(CITIZEN, { first: 3, after: page1.endCursor });
    expect(page2).toEqual({ records: newest.slice(3, 6), hasNextPage: true, endCursor: encodeCursor(newest[5].seq) });
    const page3 = await trail.forSubject(CITIZEN, { first: 3, after: page2.endCursor });
    expect(page3).toEqual({ records: newest.slice(6), hasNextPage: false, endCursor: encodeCursor(newest[6].seq) });
    expect(await trail.forSubject(CITIZEN, { first: 7 })).toEqual({ records: newest, hasNextPage: false, endCursor: encodeCursor(mine[0].seq) });
    expect((await trail.forSubject(CITIZEN)).records.map((r) => r.seq)).toEqual([13, 11, 9, 7, 5, 3, 1]);
    expect((await trail.forSubject(OTHER)).records.map((r) => r.seq)).toEqual([14, 12, 10, 8, 6, 4, 2]);
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
    const { trail, table } = await store().trail();
    await trail.append(staffLookup(CITIZEN));
    await trail.append({ actor: { kind: 'citizen' }, subject: OTHER, institution: CITIZEN_PORTAL, outcome: 'FAILED', refusal: 'PARTNER_UNAVAILABLE' });
    const { rows } = await store().client.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
    const meta = await store().client.query<{ row: string }>(`SELECT m::text AS row FROM ${table.replace(/"$/, '_meta"')} m`);
    const stored = [...rows, ...meta.rows].map((r) => r.row).join('\n');
    expect(rows).toHaveLength(2);
    expect(stored).toContain(subjectHash(CITIZEN));
    expect(stored).not.toContain(CITIZEN);
    expect(stored).not.toContain(OTHER);
  });

  it('keeps one chain when twenty look-ups are recorded at once', async () => {
    const { trail } = await store().trail();
    const records = await Promise.all(Array.from({ length: 20 }, (_, n) => trail.append(staffLookup(n % 2 ? CITIZEN : OTHER, n))));
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    expect(await trail.verify()).toEqual({ ok: true, count: 20, head: records.find((r) => r.seq === 20)!.hash });
  });

  it('refuses an UPDATE, DELETE or TRUNCATE of the trail in the database itself', async () => {
    const { trail, table } = await store().trail();
    await trail.append(staffLookup(CITIZEN));
    for (const sql of [`UPDATE ${table} SET purpose = 'x'`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
      await expect(store().client.query(sql)).rejects.toThrow('the access trail is append-only');
    }
    expect(await trail.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('refuses to start on a trail written under another key, which would hide every person\'s records', async () => {
    const { table } = await store().trail();
    const unquoted = table.replace(/"/g, '');
    const again = createTrail({ client: store().client, hashSubject: createSubjectHash(TRAIL_KEY), clock: steppingClock(), table: unquoted });
    await expect(again.migrate()).resolves.toBeUndefined();
    const other = createTrail({ client: store().client, hashSubject: createSubjectHash('another key of 16+ chars'), clock: steppingClock(), table: unquoted });
    await expect(other.migrate()).rejects.toThrow(TrailKeyError);
    await expect(other.migrate({ checkKey: false })).resolves.toBeUndefined();
  });

  it('rejects a malformed entry with a TypeError naming the field', async () => {
    const { trail } = await store().trail();
    await expect(trail.append({ ...staffLookup(CITIZEN), outcome: 'OK' as never })).rejects.toThrow(
      new TypeError('trail entry: outcome must be one of ANSWERED, PARTIAL, REFUSED, FAILED, got "OK"'));
    await expect(trail.append({ ...staffLookup(CITIZEN), actor: { kind: 'staff', centre: 'c' } as never })).rejects.toThrow(
      new TypeError('trail entry: actor.staffId must be a string, got undefined'));
    await expect(trail.append({ ...staffLookup(CITIZEN), actor: { kind: 'robot' } as never })).rejects.toThrow(
      new TypeError('trail entry: actor.kind must be one of staff, citizen, unknown, got "robot"'));
    expect(await trail.verify()).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });
});
