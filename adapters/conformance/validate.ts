/**
 * Small predicates over mapped data, and a collector of problems by kind. A problem says where
 * (customer 1, account 2, bills[0]) and what is wrong, never the value: reports carry no personal data.
 */

export type ProblemKind = 'identifiers' | 'money' | 'dates' | 'bills' | 'source' | 'tariff' | 'shape' | 'extract';

export interface Problem {
  kind: ProblemKind;
  where: string;
  what: string;
}

export interface Problems {
  readonly list: Problem[];
  /** Records a problem when `ok` is false. */
  expect(ok: boolean, kind: ProblemKind, where: string, what: string): void;
}

export function createProblems(): Problems {
  const list: Problem[] = [];
  return {
    list,
    expect(ok, kind, where, what) {
      if (!ok) list.push({ kind, where, what });
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export { isRecord };

export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/** YYYY-MM-DD naming a day that exists. */
export function isIsoDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** An ISO date-time in UTC, e.g. 2026-11-22T09:00:00.000Z. */
export function isIsoDateTime(value: unknown): boolean {
  return typeof value === 'string'
    && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)
    && isIsoDate(value.slice(0, 10))
    && !Number.isNaN(Date.parse(value));
}

/** YYYY-MM. */
export const isIsoMonth = (value: unknown): boolean => typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

export function isMoney(value: unknown): value is { minorUnits: number; currency: string } {
  return isRecord(value) && Number.isSafeInteger(value.minorUnits) && value.currency === 'UAH';
}

/** "1.728", "0", "-12.50": a decimal written with a point, never a float. */
export const isDecimalString = (value: unknown): boolean => typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value);

export const isOneOf = (value: unknown, allowed: readonly unknown[]): boolean => allowed.includes(value);

export const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

export const isQuantity = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Where the object came from: this partner, fetched just now. */
export function expectLiveSource(problems: Problems, source: unknown, partnerId: string, where: string): void {
  const ok = isRecord(source);
  problems.expect(ok && source.partnerId === partnerId, 'source', where, 'source.partnerId is not the partner under check');
  problems.expect(ok && source.freshness === 'LIVE', 'source', where, 'source.freshness is not LIVE on a fresh call');
  problems.expect(ok && isIsoDateTime(source.fetchedAt), 'dates', where, 'source.fetchedAt is not an ISO date-time in UTC');
}
