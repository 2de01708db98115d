import { isDeepStrictEqual } from 'node:util';
import type { DomainOperations } from '../core/contract.js';
import type { Domain } from '../../domain/model.js';
import { scriptedClock, scriptedStore } from './build.js';
import { describeBatch, describeDetailed, settle } from './describe.js';
import { isRecord } from './validate.js';
import { fail, pass, type Session } from './session.js';

const SECOND = 1000;

interface Sources {
  freshness: Set<unknown>;
  fetchedAt: Set<unknown>;
}

/** The freshness and fetchedAt values of a batch answer's items. */
function sourcesOf(results: unknown): Sources {
  const out: Sources = { freshness: new Set(), fetchedAt: new Set() };
  if (!Array.isArray(results)) return out;
  for (const list of results) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const source = isRecord(item) && isRecord(item.source) ? item.source : {};
      out.freshness.add(source.freshness);
      out.fetchedAt.add(source.fetchedAt);
    }
  }
  return out;
}

const hasItems = (results: unknown) => Array.isArray(results) && results.some((r) => Array.isArray(r) && r.length > 0);
const only = (set: Set<unknown>, value: unknown) => set.size === 1 && set.has(value);

/**
 * Over time, on one adapter built as production builds it, with a cache store the suite owns (its
 * entries expire by the suite's clock) and a clock the suite moves:
 * - the adapter's own operations, asked twice a second apart, either ask the partner again or say
 *   that the answer is CACHED with the first fetchedAt (never cached data passed off as LIVE);
 * - through the core, a second ask within the records' lifetime is CACHED with the first
 *   fetchedAt, one after it asks the partner again (LIVE, new fetchedAt), and so do tariffs after theirs;
 * - after the lifetime, with the partner failing, the old answer comes back STALE;
 * - a failure is never kept: once the partner answers again, so does the adapter.
 */
export async function checkOverTime(s: Session, ttlSeconds: Readonly<Record<string, number>>): Promise<void> {
  const [customer] = s.keys.customers;
  const keys = [customer];
  const clock = scriptedClock(s.now());
  const store = scriptedStore(clock);
  const partner = s.partnerFor({ kind: 'pass' }, { clock, store, noBreaker: true });
  const ops = partner.ops as DomainOperations[Domain];
  const own = partner.adapterOps as DomainOperations[Domain];
  const recordsTtl = (ttlSeconds.records ?? 60) * SECOND;

  // 1. The adapter's own operations: a repeat either asks the partner or says CACHED.
  {
    const name = 'over time: an adapter that keeps answers itself marks them CACHED with the first fetchedAt (never as LIVE)';
    const first = await settle(() => s.probe.batch(own, keys, s.call));
    clock.advance(SECOND);
    const before = s.proxy.requests;
    const second = await settle(() => s.probe.batch(own, keys, s.call));
    const asked = s.proxy.requests - before;
    if (!first.ok || !second.ok || !hasItems(first.value) || !hasItems(second.value)) {
      s.add(fail(name, 'two answers with items', `${first.ok ? describeBatch(first.value, s.partnerId, s.probe.noun) : 'a rejection'} then ${second.ok ? describeBatch(second.value, s.partnerId, s.probe.noun) : 'a rejection'}`));
    } else {
      const then = sourcesOf(first.value);
      const now = sourcesOf(second.value);
      const firstAt = [...then.fetchedAt][0];
      const ok = asked > 0 ? only(now.freshness, 'LIVE') && only(now.fetchedAt, clock.now().toISOString())
        : only(now.freshness, 'CACHED') && only(now.fetchedAt, firstAt);
      s.add(ok ? pass(name) : fail(name, asked > 0 ? 'LIVE with the time of the second ask' : 'no request and CACHED with the first fetchedAt, or a new request',
        `${asked} request${asked === 1 ? '' : 's'}, freshness ${[...now.freshness].join('/')}, fetchedAt ${isDeepStrictEqual(now.fetchedAt, then.fetchedAt) ? 'the first one' : 'another one'}`));
    }
  }

  // 2. Through the core: CACHED within the records' lifetime, asked again after it.
  const name2 = `over time: records are CACHED (first fetchedAt) within their lifetime (${recordsTtl / SECOND} s) and asked again after it`;
  const fresh = await settle(() => s.probe.batch(ops, keys, s.call));
  const firstAt = fresh.ok ? [...sourcesOf(fresh.value).fetchedAt][0] : undefined;
  clock.advance(Math.max(1, recordsTtl / 2));
  const cached = await settle(() => s.probe.batch(ops, keys, s.call));
  clock.advance(recordsTtl);
  const before = s.proxy.requests;
  const later = await settle(() => s.probe.batch(ops, keys, s.call));
  const askedLater = s.proxy.requests - before;
  {
    const problems: string[] = [];
    if (!fresh.ok || !hasItems(fresh.value)) problems.push(`the first ask gave ${fresh.ok ? describeBatch(fresh.value, s.partnerId, s.probe.noun) : 'a rejection'}`);
    else {
      const c = sourcesOf(cached.ok ? cached.value : undefined);
      if (!only(c.freshness, 'CACHED') || !only(c.fetchedAt, firstAt)) problems.push(`within the lifetime: freshness ${[...c.freshness].join('/') || 'none'}, fetchedAt ${only(c.fetchedAt, firstAt) ? 'the first' : 'another'}`);
      const l = sourcesOf(later.ok ? later.value : undefined);
      if (askedLater === 0) problems.push('after the lifetime: no request to the partner (kept for ever?)');
      else if (!only(l.freshness, 'LIVE') || !only(l.fetchedAt, clock.now().toISOString())) problems.push(`after the lifetime: freshness ${[...l.freshness].join('/') || 'none'}, fetchedAt not the time of the ask`);
    }
    s.add(problems.length === 0 ? pass(name2) : fail(name2, 'CACHED with the first fetchedAt, then a request and LIVE', problems.join('; ')));
  }

  // 3. Tariffs, asked again after their lifetime.
  if (s.probe.isUtility) {
    const name = `over time: tariffs are asked again after their lifetime (${ttlSeconds.tariffs ?? 0} s)`;
    const first = await settle(() => s.probe.single(ops, s.call));
    clock.advance(((ttlSeconds.tariffs ?? 0) + 1) * SECOND);
    const mark = s.proxy.requests;
    const second = await settle(() => s.probe.single(ops, s.call));
    const asked = s.proxy.requests - mark;
    const ok = first.ok && second.ok && asked > 0 && isDeepStrictEqual(first.value, second.value);
    s.add(ok ? pass(name) : fail(name, 'a request and the same tariffs', `${asked} requests, ${second.ok ? 'an answer' : `a rejection with ${describeDetailed(second.error, s.partnerId)}`}`));
  }

  // 4. Stale: after the lifetime, with the partner failing, the kept answer comes back STALE.
  {
    const name = 'over time: when the partner fails after the lifetime, the kept records come back STALE with their fetchedAt';
    const keptAt = later.ok ? [...sourcesOf(later.value).fetchedAt][0] : undefined;
    clock.advance(recordsTtl + SECOND);
    s.proxy.setMode({ kind: 'status', status: 503 });
    const stale = await settle(() => s.probe.batch(ops, keys, s.call));
    s.proxy.setMode({ kind: 'pass' });
    const got = sourcesOf(stale.ok ? stale.value : undefined);
    const ok = stale.ok && hasItems(stale.value) && only(got.freshness, 'STALE') && only(got.fetchedAt, keptAt);
    s.add(ok ? pass(name) : fail(name, 'the kept records, STALE, with the fetchedAt of their answer',
      stale.ok ? `${describeBatch(stale.value, s.partnerId, s.probe.noun)}, freshness ${[...got.freshness].join('/') || 'none'}` : `a rejection with ${describeDetailed(stale.error, s.partnerId)}`));
  }

  // 5. A failure is not kept: a fresh adapter, the partner fails, then recovers.
  {
    const name = 'over time: a failure is never kept: once the partner answers again, so does the adapter';
    const clock2 = scriptedClock(s.now());
    const failing = s.partnerFor({ kind: 'status', status: 503 }, { clock: clock2, store: scriptedStore(clock2), noBreaker: true });
    const failingOps = failing.ops as DomainOperations[Domain];
    const during = await Promise.all([
      settle(() => s.probe.batch(failingOps, keys, s.call)),
      s.probe.isUtility ? settle(() => s.probe.single(failingOps, s.call)) : null,
    ]);
    for (const outcome of during) if (outcome && outcome.ok && Array.isArray(outcome.value)) s.errors.push(...outcome.value.filter((r) => r instanceof Error));
    s.proxy.setMode({ kind: 'pass' });
    clock2.advance(SECOND);
    const after = await settle(() => s.probe.batch(failingOps, keys, s.call));
    const tariffsAfter = s.probe.isUtility ? await settle(() => s.probe.single(failingOps, s.call)) : null;
    const problems: string[] = [];
    if (!after.ok || !hasItems(after.value)) problems.push(`${s.probe.batchOp} gave ${after.ok ? describeBatch(after.value, s.partnerId, s.probe.noun) : `a rejection with ${describeDetailed(after.error, s.partnerId)}`}`);
    if (tariffsAfter && !(tariffsAfter.ok && Array.isArray(tariffsAfter.value) && tariffsAfter.value.length > 0)) {
      problems.push(`tariffs gave ${tariffsAfter.ok ? 'no tariffs' : `a rejection with ${describeDetailed(tariffsAfter.error, s.partnerId)}`}`);
    }
    s.add(problems.length === 0 ? pass(name) : fail(name, 'data once the partner answers again', problems.join('; ')));
  }
}
