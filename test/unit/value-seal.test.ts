import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { createValueSeal } from '../../platform/value-seal.js';

const secret = randomBytes(32).toString('base64url');
const record = JSON.stringify({ value: [{ accountNumber: '1226433935', address: 'вул. Соборності, буд. 7' }], expires: 1 });
const where = 'partner-data:gas-kryvyi-rih::records:abc';

/** Flips one bit of the sealed bytes at `index` (counted after the version prefix). */
function flipped(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed.slice(3), 'base64url');
  bytes[index] ^= 1;
  return `v1.${bytes.toString('base64url')}`;
}

describe('sealed cache values', () => {
  it('opens what it sealed, and the sealed text shows nothing of the value', () => {
    const seal = createValueSeal(secret);
    const sealed = seal.seal(where, record);
    expect(seal.open(where, sealed)).toBe(record);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(() => JSON.parse(sealed)).toThrow(SyntaxError);
  });

  it('is AES-256-GCM with a random 96-bit IV under an HKDF-SHA256 key of the secret', () => {
    const seal = createValueSeal(secret);
    const [a, b] = [seal.seal(where, record), seal.seal(where, record)];
    expect(a).not.toBe(b);
    const bytes = Buffer.from(a.slice(3), 'base64url');
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), 'vikno cache values v1', 32));
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(Buffer.from(where)).setAuthTag(bytes.subarray(bytes.length - 16));
    expect(Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString()).toBe(record);
    expect(bytes.length).toBe(12 + Buffer.byteLength(record) + 16);
  });

  it('opens nothing changed, moved to another key, or sealed under another secret', () => {
    const seal = createValueSeal(secret);
    const sealed = seal.seal(where, record);
    const length = Buffer.from(sealed.slice(3), 'base64url').length;
    expect([0, 12, length - 1].map((i) => seal.open(where, flipped(sealed, i)))).toEqual([undefined, undefined, undefined]);
    expect(seal.open('partner-data:gas-kryvyi-rih::records:xyz', sealed)).toBeUndefined();
    expect(createValueSeal(randomBytes(32).toString('base64url')).open(where, sealed)).toBeUndefined();
  });

  it('opens nothing that is not a sealed value, without throwing', () => {
    const seal = createValueSeal(secret);
    expect([record, '', 'v1.', 'v1.AAAA', 'v2.' + seal.seal(where, record).slice(3), undefined as unknown as string].map((v) => seal.open(where, v)))
      .toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('refuses a secret shorter than 16 characters', () => {
    expect(() => createValueSeal('too short')).toThrow(new TypeError('CACHE_KEY_SECRET: must be at least 16 characters'));
  });
});
