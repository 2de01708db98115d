import { createHash } from 'node:crypto';
import { canonicalize, chainRecord, checkEntry, GENESIS_HASH, hashMatches, hashRecord, type TrailEntry, type TrailRecord } from '../../audit/record.js';
import { staffLookup } from './stores.js';

/** The documented rule, written the slow obvious way: every field but hash and seal, plus v, keys sorted. */
function reference(record: TrailRecord, v: 1 | 2 | 3 = 3): string {
  const sort = (x: unknown): unknown => Array.isArray(x) ? x.map(sort)
    : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
  const { hash: _hash, seal: _seal, refers, action, ...rest } = record;
  return JSON.stringify(sort(v === 1 ? { ...rest, v } : v === 2 ? { ...rest, refers, v } : { ...rest, action, refers, v }));
}

const PINNED_FORMAT_3 = '83cc81137360f977c181954fa3a590229e450f82a67a8cde97574cc32f2a04a5';
const link = { seq: 7, at: new Date('2026-01-15T09:00:00Z'), subject: 'c3ViamVjdCBoYXNo', prevHash: GENESIS_HASH };

describe('the canonical form a trail record is hashed over', () => {
  it('is JSON with sorted keys, every field but the hash and seal, action, refers, and the format version 3', () => {
    const staff = chainRecord(staffLookup('3111901220', 5), link);
    expect(canonicalize(staff)).toBe(
      '{"action":"LOOKUP","actor":{"centre":"cnap-kryvyi-rih","kind":"staff","staffId":"s-105"},"at":"2026-01-15T09:00:00.000Z",'
      + '"domains":["gas","water"],"institution":"ЦНАП м. Кривий Ріг","official":"Оксана Петренко","operation":"Overview",'
      + '"outcome":"PARTIAL","partners":[{"id":"gas-kryvyi-rih","outcome":"ANSWERED"},{"id":"water-kryvyi-rih","outcome":"PARTNER_TIMEOUT"}],'
      + `"prevHash":"${GENESIS_HASH}","purpose":"талон А-005","refers":null,"refusal":null,"seq":7,"subject":"c3ViamVjdCBoYXNo","v":3}`);
    expect(canonicalize(staff)).toBe(reference(staff));
    expect(staff.hash).toBe(createHash('sha256').update(canonicalize(staff)).digest('hex'));
    // Pinned: a change here would make every trail written so far fail to verify.
    expect(staff.hash).toBe(PINNED_FORMAT_3);
    expect(staff).toMatchObject({ action: 'LOOKUP', refers: null, seal: null });
    const issuance = chainRecord({ ...staffLookup('3111901220', 5), action: 'ISSUANCE' }, link);
    expect(canonicalize(issuance)).toBe(reference(issuance));
    expect(canonicalize(issuance)).toContain('{"action":"ISSUANCE","actor":');

    const completion = chainRecord({ ...staffLookup('3111901220', 5), refers: 3 }, link);
    expect(canonicalize(completion)).toBe(reference(completion));
    expect(canonicalize(completion)).toContain('"purpose":"талон А-005","refers":3,"refusal":null,');
    const citizen = chainRecord({ actor: { kind: 'citizen' }, subject: 'x', institution: 'Портал громадянина', outcome: 'REFUSED', refusal: 'FORBIDDEN' }, link);
    expect(canonicalize(citizen)).toBe(reference(citizen));
    expect(canonicalize(citizen)).toContain('{"action":"LOOKUP","actor":{"kind":"citizen"},');
  });

  it('still verifies a look-up of the second trail, hashed in format 2 without action, and no issuance so', () => {
    const staff = chainRecord(staffLookup('3111901220', 5), link);
    expect(canonicalize(staff, 2)).toBe(reference(staff, 2));
    // The hash format 2 gave this record (pinned before format 3 existed).
    const second = '0ca19aede61033c5eb73500e1f102f3088f68497172dd341b3d963d7c38fc94d';
    expect(hashRecord(staff, 2)).toBe(second);
    expect(hashMatches(staff, second)).toBe(true);
    const opening = { ...staff, outcome: 'PENDING' as const };
    expect(hashMatches(opening, hashRecord(opening, 2))).toBe(true);
    // Format 2 cannot express an issuance: a record that says it is one was hashed saying so.
    const issuance = { ...staff, action: 'ISSUANCE' as const };
    expect(hashMatches(issuance, hashRecord(issuance, 2))).toBe(false);
    expect(hashMatches(issuance, hashRecord(issuance))).toBe(true);
    expect(hashMatches(staff, hashRecord(issuance))).toBe(false);
  });

  it('still verifies a record of the first trail, hashed in format 1 without refers', () => {
    const staff = chainRecord(staffLookup('3111901220', 5), link);
    expect(canonicalize(staff, 1)).toBe(reference(staff, 1));
    // The hash the first trail gave this record (pinned in its own test).
    const first = '31bcf215a5c75e9943f967c0fe3609e24c239051bafcba4750710a1f113e9f23';
    expect(hashRecord(staff, 1)).toBe(first);
    expect(hashMatches(staff, first)).toBe(true);
    expect(hashMatches({ ...staff, purpose: 'інша' }, first)).toBe(false);
    // Format 1 cannot express a completion or an opening: such a record must be format 2.
    expect(hashMatches({ ...staff, refers: 3 }, hashRecord({ ...staff, refers: 3 }, 1))).toBe(false);
    expect(hashMatches({ ...staff, outcome: 'PENDING' }, hashRecord({ ...staff, outcome: 'PENDING' }, 1))).toBe(false);
  });

  it('changes with every field, seq, prevHash and refers included', () => {
    const record = chainRecord(staffLookup('3111901220'), link);
    const variants: Array<Partial<TrailRecord>> = [
      { seq: 8 }, { prevHash: 'f'.repeat(64) }, { at: '2026-01-15T09:00:00.001Z' }, { subject: 'other' },
      { actor: { kind: 'citizen' } }, { actor: { kind: 'staff', staffId: 's-100', centre: 'cnap-2' } },
      { institution: 'x' }, { official: null }, { purpose: null }, { operation: null }, { domains: ['water', 'gas'] },
      { partners: [] }, { outcome: 'ANSWERED' }, { refusal: 'FORBIDDEN' }, { refers: 1 }, { action: 'ISSUANCE' },
    ];
    const hashes = new Set(variants.map((v) => hashRecord({ ...record, ...v })));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(record.hash)).toBe(false);
  });
});

describe('checking an entry before it is recorded', () => {
  const long = 'я'.repeat(101);

  it('refuses text over 100 characters with a TypeError naming the field, and takes exactly 100', () => {
    const cases: Array<[string, TrailEntry]> = [
      ['purpose', { ...staffLookup('x'), purpose: long }],
      ['operation', { ...staffLookup('x'), operation: 'O'.repeat(101) }],
      ['official', { ...staffLookup('x'), official: long }],
      ['institution', { ...staffLookup('x'), institution: long }],
      ['actor.staffId', { ...staffLookup('x'), actor: { kind: 'staff', staffId: 's'.repeat(101), centre: 'c' } }],
      ['actor.centre', { ...staffLookup('x'), actor: { kind: 'staff', staffId: 's', centre: long } }],
    ];
    for (const [field, entry] of cases) {
      expect(() => checkEntry(entry)).toThrow(new TypeError(`trail entry: ${field} must be at most 100 characters, got 101`));
    }
    // Characters, not UTF-16 units: 100 emoji are 200 units and still 100 characters.
    expect(() => checkEntry({ ...staffLookup('x'), purpose: '😀'.repeat(100), official: 'я'.repeat(100) })).not.toThrow();
  });

  it('takes PENDING only on an opening record, and refers only as a positive seq', () => {
    expect(() => checkEntry({ ...staffLookup('x'), outcome: 'PENDING' })).not.toThrow();
    expect(() => checkEntry({ ...staffLookup('x'), outcome: 'PENDING', refers: 4 })).toThrow(
      new TypeError('trail entry: outcome PENDING is only for an opening record (refers null), got refers 4'));
    for (const refers of [0, -1, 1.5, '3']) {
      expect(() => checkEntry({ ...staffLookup('x'), refers: refers as number })).toThrow(
        new TypeError(`trail entry: refers must be the seq of an opening record or null, got ${JSON.stringify(refers)}`));
    }
  });

  it('refuses a caller it could not identify: such refusals go to the security log', () => {
    expect(() => checkEntry({ ...staffLookup('x'), actor: { kind: 'unknown' } as never })).toThrow(
      new TypeError('trail entry: actor.kind must be one of staff, citizen, got "unknown"'));
  });
});
