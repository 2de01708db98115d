import pMap from 'p-map';
import type { z } from 'zod';
import { PartnerBadResponseError, ViknoError } from '../../domain/errors.js';
import type { BatchResult } from './contract.js';
import type { Tariff } from '../../domain/model.js';

/**
 * Orders a partner's answers by the keys asked for. A key the answer leaves out is a per-key
 * PARTNER_BAD_RESPONSE: the partner was asked and said nothing about it.
 */
export function inKeyOrder<T>(partnerId: string, keys: readonly string[], answers: ReadonlyMap<string, T>): BatchResult<T> {
  return keys.map((key) =>
    answers.has(key)
      ? (answers.get(key) as T)
      : new PartnerBadResponseError(partnerId, 'the partner left a requested record out of its answer'),
  );
}

/**
 * For partners without a batch call: one call per key with at most `concurrency` in flight.
 * A failing key becomes a per-key error and does not fail the others.
 */
export async function perKey<T>(
  keys: readonly string[],
  concurrency: number,
  load: (key: string) => Promise<T>,
): Promise<BatchResult<T>> {
  return pMap(keys, async (key) => {
    try {
      return await load(key);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }, { concurrency });
}

/**
 * Validates a partner's payload. A mismatch is PARTNER_BAD_RESPONSE; the schema's issues are kept as
 * the cause (for logs: they hold paths and expected types, not values).
 */
export function parsePayload<S extends z.ZodType>(partnerId: string, schema: S, payload: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    throw new PartnerBadResponseError(partnerId, `the partner's ${what} does not have the expected shape`, { cause: result.error });
  }
  return result.data;
}

/** Runs a mapping step; anything it throws that is not catalogued becomes PARTNER_BAD_RESPONSE. */
export function mapOrBadResponse<T>(partnerId: string, what: string, map: () => T): T {
  try {
    return map();
  } catch (error) {
    if (error instanceof ViknoError) throw error;
    throw new PartnerBadResponseError(partnerId, `the partner's ${what} cannot be mapped`, { cause: error });
  }
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * The last step of a utility batch: maps each key's partner records to accounts carrying the
 * tariff in force. Tariffs are loaded only when some key has records; if they cannot be loaded,
 * that is the error of exactly those keys. A record that cannot be mapped fails its key only.
 */
export async function mapWithTariffs<R, A>(
  partnerId: string,
  found: BatchResult<R[]>,
  tariffs: () => Promise<Tariff[]>,
  what: string,
  map: (record: R, tariffs: Tariff[]) => A,
): Promise<BatchResult<A[]>> {
  const needed = found.some((r) => Array.isArray(r) && r.length > 0);
  const list = needed ? await tariffs().catch(toError) : [];
  return found.map((result) => {
    if (result instanceof Error) return result;
    if (result.length === 0) return [];
    if (list instanceof Error) return list;
    try {
      return mapOrBadResponse(partnerId, what, () => result.map((record) => map(record, list)));
    } catch (error) {
      return toError(error);
    }
  });
}

/**
 * Splits keys into calls of at most `size` (a partner's per-call limit), makes the calls at once
 * and merges their answers. Batch rule: a call that fails is the error of each of its own keys,
 * so one bad call never costs the keys that other calls answered.
 */
export async function inCalls<T>(
  keys: readonly string[],
  size: number,
  call: (chunk: string[]) => Promise<ReadonlyMap<string, T | Error>>,
): Promise<Map<string, T | Error>> {
  const unique = [...new Set(keys)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += size) chunks.push(unique.slice(i, i + size));
  const parts = await Promise.all(chunks.map((chunk) =>
    call(chunk).catch((error: unknown) => new Map<string, T | Error>(chunk.map((key) => [key, toError(error)])))));
  const answers = new Map<string, T | Error>();
  for (const part of parts) for (const [key, answer] of part) answers.set(key, answer);
  return answers;
}
