/** Money is never a float: amounts travel as integer minor units (kopiyky) or decimal strings. */

export type Currency = 'UAH';

export interface Money {
  /**
   * Integer minor units (kopiyky), a safe integer: exact up to about 90 trillion UAH, and plain JSON
   * for the caches (a bigint is not). Positive on a balance means the citizen owes. Clients see the
   * amount as a Decimal string (formatMinorUnits), never this number.
   */
  minorUnits: number;
  currency: Currency;
}

export function uah(minorUnits: number): Money {
  if (!Number.isSafeInteger(minorUnits)) throw new TypeError(`minor units must be a safe integer, got ${minorUnits}`);
  return { minorUnits, currency: 'UAH' };
}

/**
 * "1234.56" for 123456 kopiyky; "-0.05" for -5; "32500000.00" for 3250000000. Integer arithmetic
 * on a bigint, so every safe integer (up to 90 trillion UAH) prints exactly, however large.
 */
export function formatMinorUnits(minorUnits: number): string {
  if (!Number.isSafeInteger(minorUnits)) throw new TypeError(`minor units must be a safe integer, got ${minorUnits}`);
  const abs = BigInt(Math.abs(minorUnits));
  return `${minorUnits < 0 ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/**
 * Parses a decimal amount written with a point or a comma ("1 234,56", "-12.5") into minor units,
 * without going through a float: the digits are joined as text and read once as an integer.
 * Returns null when the text is not such an amount, or is too large to hold exactly (beyond
 * Number.MAX_SAFE_INTEGER kopiyky, about 90 trillion UAH): never a rounded amount.
 */
export function parseDecimalToMinorUnits(text: string): number | null {
  const m = /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0]/g, ''));
  if (!m) return null;
  const units = BigInt(`${m[2]}${(m[3] ?? '').padEnd(2, '0')}`);
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return m[1] === '-' ? -Number(units) : Number(units);
}

/** Normalises a decimal written with a comma or a point to a point decimal string ("1362,37" → "1362.37"). */
export function normalizeDecimal(text: string): string | null {
  const t = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? t : null;
}
