/** Money is never a float: amounts travel as integer minor units (kopiyky) or decimal strings. */

export type Currency = 'UAH';

export interface Money {
  /** Integer minor units (kopiyky). Positive on a balance means the citizen owes. */
  minorUnits: number;
  currency: Currency;
}

export function uah(minorUnits: number): Money {
  if (!Number.isSafeInteger(minorUnits)) throw new TypeError(`minor units must be an integer, got ${minorUnits}`);
  return { minorUnits, currency: 'UAH' };
}

/** "1234.56" for 123456 kopiyky; "-0.05" for -5. */
export function formatMinorUnits(minorUnits: number): string {
  const sign = minorUnits < 0 ? '-' : '';
  const abs = Math.abs(minorUnits);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses a decimal amount written with a point or a comma ("1 234,56", "-12.5") into minor units,
 * without going through a float. Returns null when the text is not such an amount.
 */
export function parseDecimalToMinorUnits(text: string): number | null {
  const m = /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0]/g, ''));
  if (!m) return null;
  const units = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -units : units;
}

/** Normalises a decimal written with a comma or a point to a point decimal string ("1362,37" → "1362.37"). */
export function normalizeDecimal(text: string): string | null {
  const t = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? t : null;
}
