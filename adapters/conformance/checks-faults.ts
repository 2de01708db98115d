import { isDeepStrictEqual } from 'node:util';
import type { ErrorCode } from '../../domain/errors.js';
import type { FaultMode } from './fault-proxy.js';
import { describeBatch, describeDetailed, describeValue, isCatalogued, settle } from './describe.js';
import { fail, pass, type Session } from './session.js';

/** The partner's faults the suite injects, and the catalogued code each must become. */
export const FAULTS: ReadonlyArray<{ label: string; mode: FaultMode; code: ErrorCode }> = [
  { label: 'the partner hangs', mode: { kind: 'hang' }, code: 'PARTNER_TIMEOUT' },
  { label: 'HTTP 500', mode: { kind: 'status', status: 500 }, code: 'PARTNER_UNAVAILABLE' },
  { label: 'HTTP 503', mode: { kind: 'status', status: 503 }, code: 'PARTNER_UNAVAILABLE' },
  { label: 'HTTP 502', mode: { kind: 'status', status: 502 }, code: 'PARTNER_UNAVAILABLE' },
  { label: 'HTTP 504', mode: { kind: 'status', status: 504 }, code: 'PARTNER_UNAVAILABLE' },
  { label: 'HTTP 401 (credentials refused)', mode: { kind: 'status', status: 401 }, code: 'PARTNER_UNAVAILABLE' },
  { label: 'HTTP 403 (credentials refused)', mode: { kind: 'status', status: 403 }, code: 'PARTNER_UNAVAILABLE' },
  { label: 'a connection reset', mode: { kind: 'reset' }, code: 'PARTNER_UNAVAILABLE' },
  { label: 'HTTP 429 (after the retries the adapter makes)', mode: { kind: 'throttle' }, code: 'PARTNER_UNAVAILABLE' },
  { label: 'an unreadable body', mode: { kind: 'garbage' }, code: 'PARTNER_BAD_RESPONSE' },
];

export const faultCheckName = (op: string, label: string, code: ErrorCode) => `errors: ${op} on ${label} → ${code}`;

/**
 * Check 3: under each fault every key of the batch operation, and the other operation, end in the
 * catalogued code with the partner's id. Both operations run at once on one fresh adapter.
 */
export async function checkErrorMapping(s: Session, item: unknown): Promise<void> {
  const found = await Promise.all(FAULTS.map((fault) => s.isolated((own) => checkFault(own, item, fault))));
  for (const check of found.flat()) s.add(check);
}

async function checkFault(s: Session, item: unknown, { label, mode, code }: (typeof FAULTS)[number]): Promise<void> {
  const keys = s.keys.customers;
  {
    const ops = s.adapterFor(mode);
    const expected = `${code} naming partner "${s.partnerId}"`;
    const [batch, single] = await Promise.all([
      settle(() => s.probe.batch(ops, keys, s.call)),
      s.probe.needsItem && item === undefined ? null : settle(() => s.probe.single(ops, s.call, item)),
    ]);

    const batchName = faultCheckName(s.probe.batchOp, label, code);
    // Here only the code each key ends with matters: a rejected batch gives every key its error, as
    // DataLoader does (whether a batch may reject at all is the failing-key check's business).
    const results = batch.ok ? batch.value : keys.map(() => batch.error);
    if (Array.isArray(results)) s.errors.push(...results.filter((r) => r instanceof Error));
    const ok = Array.isArray(results) && results.length === keys.length && results.every((r) => isCatalogued(r, s.partnerId, code));
    const got = batch.ok ? describeBatch(results, s.partnerId, s.probe.noun) : `the operation rejected with ${describeDetailed(batch.error, s.partnerId)}`;
    s.add(ok ? pass(batchName) : fail(batchName, `${expected} for each of the ${keys.length} keys`, got));

    const singleName = faultCheckName(s.probe.singleOp, label, code);
    if (single === null) s.add(fail(singleName, `a ${s.probe.noun} from ${s.probe.batchOp} to ask about`, 'none'));
    else if (single.ok) s.add(fail(singleName, `a rejection with ${expected}`, `an answer (${describeValue(single.value, s.partnerId)})`));
    else {
      s.errors.push(single.error);
      const ok = isCatalogued(single.error, s.partnerId, code);
      s.add(ok ? pass(singleName) : fail(singleName, `a rejection with ${expected}`, `a rejection with ${describeDetailed(single.error, s.partnerId)}`));
    }
  }
}

/** Check 6 (utilities): tariffs are cached across calls; the second call asks the partner nothing. */
export async function checkTariffsCached(s: Session): Promise<void> {
  const name = 'tariffs: cached across calls (a second tariffs() makes no request)';
  const ops = s.adapterFor({ kind: 'pass' });
  const first = await settle(() => s.probe.single(ops, s.call));
  if (!first.ok) {
    s.errors.push(first.error);
    s.add(fail(name, 'two answers', `the first call rejected with ${describeDetailed(first.error, s.partnerId)}`));
    return;
  }
  const before = s.proxy.requests;
  const second = await settle(() => s.probe.single(ops, s.call));
  const made = s.proxy.requests - before;
  if (!second.ok) {
    s.errors.push(second.error);
    s.add(fail(name, 'the cached tariffs', `a rejection with ${describeDetailed(second.error, s.partnerId)}`));
  } else if (made !== 0) s.add(fail(name, 'no request to the partner', `${made} request${made === 1 ? '' : 's'}`));
  else if (!isDeepStrictEqual(first.value, second.value)) s.add(fail(name, 'the same tariffs as the first call', 'different ones'));
  else s.add(pass(name));
}
