import { normalizeDecimal, parseDecimalToMinorUnits, uah, type Money } from '../../domain/money.js';

/**
 * Reading a partner's values into the model's, for adapters' mapping code: each throws a TypeError
 * saying what the value is not, which the adapter's mapOrBadResponse turns into that partner's
 * PARTNER_BAD_RESPONSE.
 */

/** A hryvnia amount written as a decimal ("1234.56", "-855") → money in kopiyky. */
export function uahAmount(text: string): Money {
  const minorUnits = parseDecimalToMinorUnits(text);
  if (minorUnits === null) throw new TypeError('not an amount');
  return uah(minorUnits);
}

/** A decimal kept exact as a string ("1.728"). */
export function exactDecimal(text: string): string {
  const value = normalizeDecimal(text);
  if (value === null) throw new TypeError('not a decimal');
  return value;
}

/** Year, month (1–12) and day → YYYY-MM-DD, refusing dates that do not exist (2026-02-31). */
export function calendarDate(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw new TypeError('not a calendar date');
  return date.toISOString().slice(0, 10);
}
