import { createHash } from 'node:crypto';
import { canonicalize, GENESIS_HASH, hashRecord, sealRecord, type TrailRecord } from '../../audit/record.js';
import { staffLookup } from './stores.js';

/** The documented rule, written the slow obvious way: every field but hash, plus v, keys sorted. */
function reference(record: TrailRecord): string {
  const sort = (v: unknown): unknown => Array.isArray(v) ? v.map(sort)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  const { hash: _hash, ...rest } = record;
  return JSON.stringify(sort({ ...rest, v: 1 }));
}

const seal = { seq: 7, at: new Date('2026-01-15T09:00:00Z'), subject: 'c3ViamVjdCBoYXNo', prevHash: GENESIS_HASH };

describe('the canonical form a trail record is hashed over', () => {
  it('is JSON with sorted keys, every field but the hash, and the format version', () => {
    const staff = sealRecord(staffLookup('3111901220', 5), seal);
    expect(canonicalize(staff)).toBe(
      '{"actor":{"centre":"cnap-kryvyi-rih","kind":"staff","staffId":"s-105"},"at":"2026-01-15T09:00:00.000Z",'
      + '"domains":["gas","water"],"institution":"ЦНАП м. Кривий Ріг","official":"Оксана Петренко","operation":"Overview",'
      + '"outcome":"PARTIAL","partners":[{"id":"gas-kryvyi-rih","outcome":"ANSWERED"},{"id":"water-kryvyi-rih","outcome":"PARTNER_TIMEOUT"}],'
      + `"prevHash":"${GENESIS_HASH}","purpose":"талон А-005","refusal":null,"seq":7,"subject":"c3ViamVjdCBoYXNo","v":1}`);
    expect(canonicalize(staff)).toBe(reference(staff));
    expect(staff.hash).toBe(createHash('sha256').update(canonicalize(staff)).digest('hex'));
    // Pinned: a change here would make every trail written so far fail to verify.
    expect(staff.hash).toBe('31bcf215a5c75e9943f967c0fe3609e24c239051bafcba4750710a1f113e9f23');
    expect(hashRecord(staff)).toBe(staff.hash);

    const citizen = sealRecord({ actor: { kind: 'citizen' }, subject: 'x', institution: 'Портал громадянина', outcome: 'REFUSED', refusal: 'FORBIDDEN' }, seal);
    expect(canonicalize(citizen)).toBe(reference(citizen));
    expect(canonicalize(citizen)).toContain('{"actor":{"kind":"citizen"},');
  });

  it('changes with every field, seq and prevHash included', () => {
    const record = sealRecord(staffLookup('3111901220'), seal);
    const variants: Array<Partial<TrailRecord>> = [
      { seq: 8 }, { prevHash: 'f'.repeat(64) }, { at: '2026-01-15T09:00:00.001Z' }, { subject: 'other' },
      { actor: { kind: 'citizen' } }, { actor: { kind: 'staff', staffId: 's-100', centre: 'cnap-2' } },
      { institution: 'x' }, { official: null }, { purpose: null }, { operation: null }, { domains: ['water', 'gas'] },
      { partners: [] }, { outcome: 'ANSWERED' }, { refusal: 'FORBIDDEN' },
    ];
    const hashes = new Set(variants.map((v) => hashRecord({ ...record, ...v })));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(record.hash)).toBe(false);
  });
});
