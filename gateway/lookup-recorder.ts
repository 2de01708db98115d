import { RateLimitedError, TrailUnavailableError, type ViknoError } from '../domain/errors.js';
import type { Logger } from '../platform/logger.js';
import type { Principal } from '../identity/principal.js';
import { lookupHeader, partnerList, type Outcome, type TrailEntry, type TrailWriter } from './access.js';
import type { LookupLimiter } from './lookup-limiter.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * One request's look-ups of people, recorded first and completed after (X-Road's message log is
 * the model). Whose data was read comes from what the subgraphs resolve, never from the query text:
 * - before an entity fetch names people (its Citizen representations), `open` writes their opening
 *   records (who, whose, why, which domains; outcome PENDING) in one durable write; only then is the
 *   fetch signed and sent, so no partner is asked about anyone unrecorded;
 * - the subgraphs report the people they resolved or refused (`extensions.subjects`), which
 *   covers look-ups that ask no partner (the centre answers from the number itself);
 * - `complete` writes, before the answer leaves, each opening record's completion (partners and
 *   outcome) and a single record for every person resolved without one.
 * Every look-up passes the limit on distinct people per principal first.
 *
 * An extract issuance (an entity fetch of an issuance type, subgraph-source.ts) is recorded the same
 * way but as an ISSUANCE with the purpose stated for it, and never merged with another: each is
 * opened before its fetch is sent and completed with its own record. In a mutation every record is
 * an issuance (its refusals too): the schema's only mutations issue extracts.
 */
export interface LookupRecorder {
  open(taxIds: readonly string[]): Promise<void>;
  /** Writes the opening record of each issuance (repeats included), before its fetch is sent. */
  openIssuances(issuances: ReadonlyArray<{ taxId: string; purpose: string }>): Promise<void>;
  /** People a subgraph resolved (refusal null) or refused (its code). */
  report(subjects: ReadonlyArray<{ taxId: string; refusal: string | null }>): void;
  /** Completes every look-up; throws the error the answer must be replaced with, if any. */
  complete(outcome: Outcome, partners: ReadonlyArray<{ partner: string; outcome: string }>): Promise<void>;
  /** Withholds the answer with this error (e.g. a fetch whose people cannot be known). */
  fail(error: ViknoError): ViknoError;
  /** The first refusal or failure met while recording (the answer is then withheld). */
  readonly failure: ViknoError | null;
}

export interface LookupRecorderOptions {
  trail: TrailWriter;
  limiter: LookupLimiter;
  principal: Principal;
  purpose: string | undefined;
  /** The operation's name and the domains its plan fetches, known once the operation is planned; `issuance` for a mutation. */
  operation: () => { name: string | null; domains: readonly string[]; issuance?: boolean };
  log: Logger;
  metrics?: GatewayMetrics;
  /** On the recorder's and the limiter's log lines (the gateway passes it explicitly, see request-scope.ts). */
  requestId?: string;
}

export function createLookupRecorder(options: LookupRecorderOptions): LookupRecorder {
  const { trail, limiter, principal, log, metrics, requestId } = options;
  /** Person → the seq of their opening record (or the failure to write it). */
  const opened = new Map<string, Promise<number>>();
  const reported = new Map<string, string | null>();
  /** Issuances whose opening record was written, in order. */
  const issued: Array<{ taxId: string; purpose: string; seq: number }> = [];
  let failure: ViknoError | null = null;
  const fail = (error: ViknoError) => { failure ??= error; return error; };

  const entry = (subject: string, rest: Pick<TrailEntry, 'outcome'> & Partial<TrailEntry>): TrailEntry => {
    const { name, domains, issuance } = options.operation();
    return { ...lookupHeader(principal, options.purpose, name), action: issuance ? 'ISSUANCE' : 'LOOKUP', subject, domains: [...domains], ...rest };
  };

  const write = async (entries: TrailEntry[], phase: string) => {
    try {
      return await trail.appendMany(entries);
    } catch (error) {
      metrics?.trailFailures.inc({ phase });
      log.error({ err: error, phase, requestId }, 'the access trail could not be written: nothing more is asked and the answer is withheld');
      throw fail(new TrailUnavailableError());
    }
  };

  /** Passes the limit, or records the refusal and throws RATE_LIMITED. */
  const admit = async (taxIds: readonly string[]) => {
    const admission = await limiter.admit(principal, taxIds, requestId);
    if (admission.ok) return;
    const error = fail(new RateLimitedError('too many different people looked up in a short time; try again later', admission.retryAfterSeconds));
    await write(taxIds.map((t) => entry(t, { outcome: 'REFUSED', refusal: 'RATE_LIMITED' })), 'refusal');
    throw error;
  };

  return {
    get failure() { return failure; },
    fail,

    async open(taxIds) {
      const fresh = [...new Set(taxIds)].filter((t) => !opened.has(t));
      if (fresh.length > 0) {
        const written = (async () => {
          if (failure) throw failure;
          await admit(fresh);
          return write(fresh.map((t) => entry(t, { outcome: 'PENDING' })), 'open');
        })();
        fresh.forEach((t, i) => opened.set(t, written.then((records) => records[i].seq)));
      }
      await Promise.all(taxIds.map((t) => opened.get(t)));
    },

    async openIssuances(issuances) {
      if (failure) throw failure;
      await admit([...new Set(issuances.map((i) => i.taxId))]);
      const records = await write(issuances.map((i) => entry(i.taxId, { action: 'ISSUANCE', purpose: i.purpose, outcome: 'PENDING' })), 'open');
      issuances.forEach((i, n) => issued.push({ ...i, seq: records[n].seq }));
    },

    report(subjects) {
      for (const { taxId, refusal } of subjects) {
        if (typeof taxId !== 'string') continue;
        // A refusal anywhere is the person's outcome, whatever another subgraph said.
        if (!reported.has(taxId) || refusal !== null) reported.set(taxId, refusal);
      }
    },

    async complete(outcome, partners) {
      const entries: TrailEntry[] = [];
      const partnerOutcomes = partnerList(partners);
      for (const [taxId, seq] of opened) {
        const refers = await seq.catch(() => null);
        if (refers === null) continue; // never opened: nothing was asked about them
        const refusal = reported.get(taxId) ?? null;
        // When the answer is withheld (another person of the request refused), no data left: the look-up says why.
        const result: Outcome = refusal ? { outcome: 'REFUSED', refusal }
          : failure ? { outcome: failure instanceof RateLimitedError ? 'REFUSED' : 'FAILED', refusal: failure.code } : outcome;
        entries.push(entry(taxId, { ...result, refers, partners: partnerOutcomes }));
      }
      for (const { taxId, purpose, seq } of issued) {
        const refusal = reported.get(taxId) ?? null;
        // One document: with an error beside it, it did not reach the caller (FAILED), though after a
        // timeout the registry may have issued it. Two issuances for one person in one request share
        // that person's reported refusal, if any.
        const result: Outcome = refusal ? { outcome: 'REFUSED', refusal }
          : failure ? { outcome: failure instanceof RateLimitedError ? 'REFUSED' : 'FAILED', refusal: failure.code }
            : outcome.outcome === 'PARTIAL' ? { outcome: 'FAILED', refusal: null } : outcome;
        entries.push(entry(taxId, { ...result, action: 'ISSUANCE', purpose, refers: seq, partners: partnerOutcomes }));
      }
      const issuedTo = new Set(issued.map((i) => i.taxId));
      const unopened = [...reported].filter(([taxId]) => !opened.has(taxId) && !issuedTo.has(taxId));
      const answered = unopened.filter(([, refusal]) => refusal === null).map(([taxId]) => taxId);
      let refusedByLimit = false;
      if (answered.length > 0 && !failure) {
        // admit records the refusal of these people itself
        refusedByLimit = await admit(answered).then(() => false, () => true);
      }
      for (const [taxId, refusal] of unopened) {
        if (refusal !== null) entries.push(entry(taxId, { outcome: 'REFUSED', refusal }));
        else if (refusedByLimit) continue;
        else if (failure) entries.push(entry(taxId, { outcome: 'REFUSED', refusal: failure.code }));
        else entries.push(entry(taxId, outcome));
      }
      if (entries.length > 0) await write(entries, 'complete');
      if (failure) throw failure;
    },
  };
}
