import { ViknoError, type ErrorCode } from '../../domain/errors.js';
import type { Problem, ProblemKind } from './validate.js';

/**
 * How results appear in the report: by shape and code, never by value, so no tax id, name or
 * address reaches a report even when an adapter misbehaves.
 */

/** True when `value` is a catalogued error of this partner (with this code, when given). */
export function isCatalogued(value: unknown, partnerId: string, code?: ErrorCode): value is ViknoError {
  return value instanceof ViknoError && value.partner === partnerId && (code === undefined || value.code === code);
}

export function describeValue(value: unknown, partnerId: string, noun = 'item'): string {
  if (value === undefined) return 'undefined';
  if (value instanceof ViknoError) {
    return value.partner === partnerId ? value.code : `${value.code} naming partner ${value.partner ? `"${value.partner}"` : 'none'}`;
  }
  if (value instanceof Error) return `an uncatalogued ${value.name} ("${value.message}")`;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `${value.length} ${noun}${value.length === 1 ? '' : 's'}`;
  return value === null ? 'null' : `a ${typeof value}`;
}

/** A value, and an error with its message (catalogued messages name no personal data; the report is redacted besides). */
export function describeDetailed(value: unknown, partnerId: string, noun?: string): string {
  const described = describeValue(value, partnerId, noun);
  return value instanceof ViknoError ? `${described} ("${value.message}")` : described;
}

/** `[3 accounts, [], PARTNER_TIMEOUT]` for a batch result. */
export function describeBatch(results: unknown, partnerId: string, noun: string): string {
  if (!Array.isArray(results)) return describeValue(results, partnerId, noun);
  return `[${results.map((r) => describeValue(r, partnerId, noun)).join(', ')}]`;
}

/** What a promise settled with: `resolved with 2 tariffs`, `rejected with PARTNER_TIMEOUT`. */
export async function settle(run: () => Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

const MAX_LISTED = 4;

/** "customer 1, account 2: EIC check character does not match; … (and 3 more)". */
export function describeProblems(problems: readonly Problem[]): string {
  const listed = problems.slice(0, MAX_LISTED).map((p) => `${p.where}: ${p.what}`).join('; ');
  return problems.length > MAX_LISTED ? `${listed}; and ${problems.length - MAX_LISTED} more` : listed;
}

export const ofKind = (problems: readonly Problem[], ...kinds: ProblemKind[]) => problems.filter((p) => kinds.includes(p.kind));

/**
 * The last net before a detail reaches the report: known personal values and anything shaped like
 * a tax id are replaced.
 */
export function redact(text: string, personal: Iterable<string>): string {
  let out = text;
  for (const value of personal) if (value.length >= 3) out = out.split(value).join('‹redacted›');
  return out.replace(/\d{10}/g, '‹redacted›');
}
