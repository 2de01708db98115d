import type Keyv from 'keyv';
import { declarationOf, type Domain, type OperationKind } from '../../domain/domains.js';
import type { Freshness, Provenance, RegistryExtract } from '../../domain/model.js';
import type { BatchResult, CallContext, DomainOperations } from './contract.js';
import type { Clock } from '../../platform/clock.js';
import type { KeyedHash } from '../../platform/keyed-hash.js';
import type { Logger } from '../../platform/logger.js';
import type { CacheResult, Metrics } from '../../platform/metrics.js';
import { withDeadline, withinBudget } from './deadline.js';
import { isBridgedByStale } from './failure.js';

/**
 * What every partner's operations get on top of its adapter, whatever its dialect:
 * - a deadline per operation: the memorandum's timeoutMs, or what is left of the answer's budget
 *   (CallContext.deadlineAt) if less; a field's operations one after another (a listing, then its
 *   extracts) share that budget, and a request waiting for a call another one started waits no
 *   longer than its own budget;
 * - records per person cached for `recordsTtlMs` (CACHED), then kept up to `maxStaleMs` and
 *   served as STALE when the partner fails, rather than nothing;
 * - concurrent asks for the same person share one partner call (no thundering herd);
 * - an extract operation issues a document: every call asks the partner (never a cached copy, never
 *   another request's call), and what it issued is kept by subject for `extractsTtlMs`, for
 *   `issuedExtract` to read without asking anyone.
 * Cache keys are keyed hashes; failures are never cached.
 */
export interface ResilienceOptions {
  partnerId: string;
  keyv: Keyv<Entry<unknown>>;
  hash: KeyedHash;
  clock: Clock;
  log: Logger;
  deadlineMs: number;
  recordsTtlMs: number;
  extractsTtlMs: number;
  maxStaleMs: number;
  /** Cache hits, misses, stale serves and read errors, by partner and cache (records, extracts). */
  metrics?: Metrics;
}

interface Entry<T> {
  value: T;
  /** Epoch ms (by the clock) when the partner answered it. */
  at: number;
}

type Sourced = { source: Provenance };

/** How fresh a whole list is, kept beside its items: an empty list has no item to carry it. */
export interface ListFreshness {
  freshness: Freshness;
  /** When the partner answered it (ISO). */
  fetchedAt: string;
}

const LIST_FRESHNESS = Symbol('list freshness');

/** The freshness of a list a batch operation answered for one key; undefined for a live answer. */
export function listFreshness(list: unknown): ListFreshness | undefined {
  return Array.isArray(list) ? (list as { [LIST_FRESHNESS]?: ListFreshness })[LIST_FRESHNESS] : undefined;
}

/** The items with their freshness set; `fetchedAt` stays the time the partner answered. The list carries it too. */
function marked<T extends Sourced>(items: readonly T[], freshness: Freshness, at: number): T[] {
  const list = items.map((item) => ({ ...item, source: { ...item.source, freshness } }));
  const oldest = list.map((item) => item.source.fetchedAt).sort()[0] ?? new Date(at).toISOString();
  // Not enumerable: the list stays a plain list to everything but listFreshness().
  Object.defineProperty(list, LIST_FRESHNESS, { value: { freshness, fetchedAt: oldest } satisfies ListFreshness });
  return list;
}

/** The CallContext an operation got: the last argument of every operation of the contract. */
const callOf = (args: readonly unknown[]): CallContext | undefined => args.at(-1) as CallContext | undefined;

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Wraps a partner's operations by their kind in the domain's declaration (domain/domains.ts). An
 * operation the declaration does not list is a programming error, thrown at start: it would
 * otherwise run without the cache, stale fallback and shared calls its kind needs.
 */
export function withResilience<D extends Domain>(domain: D, ops: DomainOperations[D], options: ResilienceOptions): DomainOperations[D] {
  const { partnerId, keyv, hash, clock, log } = options;
  const inFlight = new Map<string, Promise<Sourced[] | Error>>();
  const count = (cache: 'records' | 'extracts', result: CacheResult) => options.metrics?.cache(partnerId, cache, result);
  const read = async <T>(key: string): Promise<Entry<T> | undefined> => // a failing cache is a miss
    (await keyv.get(key).catch(() => void count(key.startsWith('extract:') ? 'extracts' : 'records', 'error'))) as Entry<T> | undefined;
  // Keyv keeps a value with ttl 0 for ever: nothing to keep is not written at all.
  const write = (key: string, value: unknown, ttlMs: number) =>
    ttlMs > 0 && void keyv.set(key, { value, at: clock.now().getTime() }, ttlMs).catch(() => undefined);
  const deadline = <T>(call: CallContext | undefined, run: () => Promise<T>) => withDeadline(partnerId, options.deadlineMs, run, call?.deadlineAt);

  function batch(operation: (keys: readonly string[], call: CallContext) => Promise<BatchResult<Sourced[]>>) {
    return async (keys: readonly string[], call: CallContext): Promise<BatchResult<Sourced[]>> => {
      const now = clock.now().getTime();
      const unique = [...new Set(keys)];
      const entries = new Map(await Promise.all(unique.map(async (k) => [k, await read<Sourced[]>(`records:${hash(k)}`)] as const)));
      const fresh = (k: string) => { const e = entries.get(k); return e !== undefined && now - e.at < options.recordsTtlMs; };
      unique.forEach((k) => count('records', fresh(k) ? 'hit' : 'miss'));

      // Keys nobody is asking the partner about yet go in one call of ours; the others join theirs.
      const toAsk = unique.filter((k) => !fresh(k) && !inFlight.has(k));
      if (toAsk.length > 0) {
        const answers = deadline(call, () => operation(toAsk, call)).catch((error: unknown) => toAsk.map(() => toError(error)));
        toAsk.forEach((k, i) => {
          const answer = answers.then((all) => {
            const result = all[i];
            if (!(result instanceof Error)) write(`records:${hash(k)}`, result, options.maxStaleMs);
            return result;
          });
          inFlight.set(k, answer);
          void answer.finally(() => inFlight.delete(k));
        });
      }

      const results = new Map<string, Sourced[] | Error>();
      await Promise.all(unique.map(async (k) => {
        const entry = entries.get(k);
        if (fresh(k)) return void results.set(k, marked(entry!.value, 'CACHED', entry!.at));
        // Joined a call another request started: wait for it no longer than this request's budget.
        const result = await withinBudget(partnerId, inFlight.get(k)!, call.deadlineAt).catch(toError);
        if (!(result instanceof Error)) return void results.set(k, result);
        if (entry && now - entry.at < options.maxStaleMs && isBridgedByStale(result)) {
          log.warn({ partner: partnerId, errorCode: (result as { code?: string }).code }, 'partner failed: serving stale data');
          count('records', 'stale');
          return void results.set(k, marked(entry.value, 'STALE', entry.at));
        }
        results.set(k, result);
      }));
      return keys.map((k) => results.get(k)!);
    };
  }

  function extract(operation: (subject: string, call: CallContext) => Promise<RegistryExtract>) {
    // An issuance, not a read: a cached or shared document would be one the partner did not issue
    // for this request. What it issued is kept (awaited, so the issuer's next read finds it; a
    // failing cache only means it is not kept).
    return async (subject: string, call: CallContext): Promise<RegistryExtract> => {
      const document = await deadline(call, () => operation(subject, call));
      if (options.extractsTtlMs > 0) {
        await keyv.set(extractKey(hash, subject), { value: document, at: clock.now().getTime() }, options.extractsTtlMs).catch(() => undefined);
      }
      return document;
    };
  }

  const kinds: Readonly<Record<string, OperationKind>> = declarationOf(domain).operations;
  const wrapped: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(ops as unknown as Record<string, (...args: never[]) => Promise<unknown>>)) {
    const bound = operation.bind(ops) as never;
    const kind = Object.hasOwn(kinds, name) ? kinds[name] : undefined;
    if (kind === undefined) {
      throw new TypeError(`partner ${partnerId}: operation "${name}" is not declared for the ${domain} domain (declared: ${Object.keys(kinds).join(', ')})`);
    }
    wrapped[name] = kind === 'batchByOwner' ? batch(bound)
      : kind === 'document' ? extract(bound)
        : (...args: unknown[]) => deadline(callOf(args), () => (bound as (...a: unknown[]) => Promise<unknown>)(...args));
  }
  return wrapped as unknown as DomainOperations[D];
}

const extractKey = (hash: KeyedHash, subject: string) => `extract:${hash(subject)}`;

/** The extract an extract operation last issued for `subject`, while it is kept, marked CACHED; null when none. Asks no partner. */
export async function issuedExtract(
  options: Pick<ResilienceOptions, 'partnerId' | 'keyv' | 'hash' | 'clock' | 'extractsTtlMs' | 'metrics'>,
  subject: string,
): Promise<RegistryExtract | null> {
  const { partnerId, metrics } = options;
  const entry = await options.keyv.get(extractKey(options.hash, subject))
    .catch(() => void metrics?.cache(partnerId, 'extracts', 'error')) as Entry<RegistryExtract> | undefined;
  const kept = entry !== undefined && options.clock.now().getTime() - entry.at < options.extractsTtlMs;
  metrics?.cache(partnerId, 'extracts', kept ? 'hit' : 'miss');
  return kept ? marked([entry!.value], 'CACHED', entry!.at)[0] : null;
}
