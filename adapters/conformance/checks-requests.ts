import { encodeRnokpp } from '../../domain/identifiers.js';
import { describeBatch, describeDetailed, isCatalogued, settle } from './describe.js';
import { fail, pass, type Session } from './session.js';

/** `count` valid tax ids nobody has (born 1 January 1901), none of `avoid`. */
export function strangers(count: number, avoid: readonly string[]): string[] {
  const out: string[] = [];
  for (let serial = 0; out.length < count; serial++) {
    const taxId = encodeRnokpp('1901-01-01', serial, serial % 2 === 0 ? 'MALE' : 'FEMALE');
    if (!avoid.includes(taxId)) out.push(taxId);
  }
  return out;
}

const hasItems = (results: unknown) => Array.isArray(results) && results.some((r) => Array.isArray(r) && r.length > 0);
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The registries' extract: an issuance, made with exactly one request even when it fails (never retried). */
export async function checkExtractIssuedOnce(s: Session, item: unknown): Promise<void> {
  if (s.probe.isUtility) return;
  const name = `requests: ${s.probe.singleOp} issues with exactly one request, even on HTTP 503 (never retried)`;
  if (item === undefined) return s.add(fail(name, `a ${s.probe.noun} to ask about`, 'none (see the batch check)'));
  const ops = s.adapterFor({ kind: 'status', status: 503 });
  s.proxy.resetLog();
  const outcome = await settle(() => s.probe.single(ops, s.call, item));
  if (!outcome.ok) s.errors.push(outcome.error);
  const made = s.proxy.log.length;
  s.add(made === 1 ? pass(name) : fail(name, '1 request', plural(made, 'request')));
}

/**
 * Batch sizes: handed as many keys as the subgraphs' DataLoader hands it (the adapter's
 * maxBatchSize, or all at once for a one-key adapter), no call may carry more tax ids than the
 * memorandum's connection.maxBatch.
 */
export async function checkBatchSizes(s: Session): Promise<void> {
  const declared = s.entry.connection.maxBatch;
  const name = `requests: no call carries more tax ids than the memorandum's maxBatch (${declared ?? 'not declared'})`;
  if (declared === undefined) {
    return s.add(fail(name, 'connection.maxBatch in the memorandum entry (1 for a partner asked person by person)', 'none'));
  }
  const count = Math.min(s.maxBatchSize > 1 ? Math.min(s.maxBatchSize, declared + 1) : Math.max(3, declared + 1), 101);
  const keys = [...s.keys.customers, ...strangers(count, s.keys.customers)].slice(0, count);
  const ops = s.adapterFor({ kind: 'pass' });
  s.proxy.watch(keys);
  s.proxy.resetLog();
  const outcome = await settle(() => s.probe.batch(ops, keys, s.call));
  s.proxy.watch([]);
  if (!outcome.ok) s.errors.push(outcome.error);
  const largest = Math.max(0, ...s.proxy.log.map((r) => r.keys.length));
  s.add(largest <= declared ? pass(name) : fail(name, `at most ${declared} per call (asked for ${keys.length} keys at once)`, `a call with ${largest}`));
}

/** Calls in flight: never more at once than the memorandum's quota.inFlight, however many keys come together. */
export async function checkInFlight(s: Session): Promise<void> {
  const quota = s.entry.connection.quota;
  const name = `requests: never more calls open at once than the memorandum's quota.inFlight (${quota?.inFlight ?? 'no quota'})`;
  if (!quota) return s.add(pass(name));
  const keys = strangers(quota.inFlight * 2 + 2, s.keys.customers);
  const ops = s.adapterFor({ kind: 'pass', delayMs: 25 });
  s.proxy.resetLog();
  // A one-key adapter gets every key at once; a batch adapter gets the DataLoader's chunks at once.
  const calls = s.maxBatchSize > 1 ? keys.map((key) => [key]) : [keys];
  const outcomes = await Promise.all(calls.map((batch) => settle(() => s.probe.batch(ops, batch, s.call))));
  for (const outcome of outcomes) if (!outcome.ok) s.errors.push(outcome.error);
  const most = s.proxy.maxInFlight;
  s.add(most <= quota.inFlight ? pass(name) : fail(name, `at most ${quota.inFlight} open at once (${keys.length} keys asked together)`, `${most} open at once`));
}

/** Retries: a transient failure (503) is retried as often as the memorandum says (connection.retries, else the adapter's, else 2). */
export async function checkRetries(s: Session, retries: number): Promise<void> {
  const name = `requests: a read failing with HTTP 503 is tried ${retries + 1} times (the memorandum's retries: ${retries})`;
  const [stranger] = strangers(1, s.keys.customers);
  const ops = s.adapterFor({ kind: 'status', status: 503 });
  s.proxy.resetLog();
  const outcome = await settle(() => s.probe.batch(ops, [stranger], s.call));
  if (!outcome.ok) s.errors.push(outcome.error);
  const made = s.proxy.log.length;
  s.add(made === retries + 1 ? pass(name) : fail(name, plural(retries + 1, 'request'), plural(made, 'request')));
}

/** One 429 with a Retry-After still to come: the adapter waits it out, then answers with data. */
export async function checkRetryAfter(s: Session): Promise<void> {
  const seconds = 1;
  const name = `requests: one HTTP 429 with Retry-After: ${seconds} is waited out, then the data comes (not an error)`;
  // A deadline with room for the wait on a busy machine: the check is that the wait is made, not how long the deadline is.
  const ops = s.partnerFor({ kind: 'throttleOnce', retryAfterSeconds: seconds }, { timeoutMs: Math.max(s.entry.connection.timeoutMs, 10_000) }).adapterOps;
  s.proxy.resetLog();
  const outcome = await settle(() => s.probe.batch(ops, s.keys.customers.slice(0, 1), s.call));
  const [first, second] = s.proxy.log;
  const waited = first && second ? second.at - first.at : 0;
  const problems: string[] = [];
  if (!outcome.ok) {
    s.errors.push(outcome.error);
    problems.push(`a rejection with ${describeDetailed(outcome.error, s.partnerId)}`);
  } else if (!hasItems(outcome.value)) {
    problems.push(describeBatch(outcome.value, s.partnerId, s.probe.noun));
  }
  if (second && waited < seconds * 1000 - 50) problems.push(`the next request came ${Math.round(waited)} ms after the 429`);
  s.add(problems.length === 0 ? pass(name) : fail(name, `the ${s.probe.noun}s, the next request at least ${seconds} s after the 429`, problems.join('; ')));
}

/** A tampered extract document (its SHA-256 no longer matches) is PARTNER_BAD_RESPONSE, never served. */
export async function checkTamperedExtract(s: Session, item: unknown): Promise<void> {
  if (s.probe.isUtility) return;
  const name = `errors: ${s.probe.singleOp} on a tampered document (SHA-256 mismatch) → PARTNER_BAD_RESPONSE`;
  if (item === undefined) return s.add(fail(name, `a ${s.probe.noun} to ask about`, 'none (see the batch check)'));
  const ops = s.adapterFor({ kind: 'tamper' });
  const outcome = await settle(() => s.probe.single(ops, s.call, item));
  if (outcome.ok) return s.add(fail(name, 'a rejection with PARTNER_BAD_RESPONSE', 'the document was served'));
  s.errors.push(outcome.error);
  s.add(isCatalogued(outcome.error, s.partnerId, 'PARTNER_BAD_RESPONSE') ? pass(name)
    : fail(name, 'a rejection with PARTNER_BAD_RESPONSE', `a rejection with ${describeDetailed(outcome.error, s.partnerId)}`));
}
