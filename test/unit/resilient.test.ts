import Keyv from 'keyv';
import { issuedExtract, listFreshness, withResilience } from '../../adapters/core/resilient.js';
import { createKeyedHash } from '../../platform/keyed-hash.js';
import { silentLogger } from '../../platform/logger.js';
import type { Clock } from '../../platform/clock.js';
import type { DomainOperations, CallContext } from '../../adapters/core/contract.js';
import type { LandParcel, Provenance, RegistryExtract } from '../../domain/model.js';
import { PartnerUnavailableError } from '../../domain/errors.js';

const CALL: CallContext = { requestId: 'test', officialId: 'test-official', purpose: 'TEST-001' };
const T0 = Date.parse('2026-11-22T09:00:00.000Z');

/** A clock the test moves by hand. */
function movableClock(): Clock & { advance(ms: number): void } {
  let now = T0;
  return { now: () => new Date(now), advance: (ms) => { now += ms; } };
}

const parcel = (n: string, fetchedAt: string): LandParcel =>
  ({ cadastralNumber: n, source: { partnerId: 'cadastre', fetchedAt, freshness: 'LIVE' } satisfies Provenance }) as unknown as LandParcel;

/** A fake registry: records the keys of every call, answers from `answer`. */
function fakeRegistry(clock: Clock, answer: (taxId: string) => LandParcel[] | Error) {
  const calls: string[][] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const ops: DomainOperations['cadastre'] = {
    async parcelsByOwners(taxIds) {
      calls.push([...taxIds]);
      if (gate) await gate;
      return taxIds.map((t) => (answer(t) instanceof Error ? answer(t) : (answer(t) as LandParcel[]).map((p) => ({ ...p, source: { ...p.source, fetchedAt: clock.now().toISOString() } }))));
    },
    parcelExtract: async () => { throw new Error('not used'); },
  };
  return { ops, calls, hold: () => { gate = new Promise((r) => { release = r; }); }, release: () => { gate = undefined; release?.(); } };
}

function wrap(ops: DomainOperations['cadastre'], clock: Clock, keyv = new Keyv({ store: new Map() }), overrides: Partial<{ deadlineMs: number; maxStaleMs: number }> = {}) {
  return withResilience('cadastre', ops, {
    partnerId: 'cadastre', keyv: keyv as never, hash: createKeyedHash('a test secret of some length'), clock, log: silentLogger(),
    deadlineMs: 1000, recordsTtlMs: 60_000, extractsTtlMs: 86_400_000, maxStaleMs: 3_600_000, ...overrides,
  });
}

describe('the resilience around a partner', () => {
  it('answers LIVE, then CACHED within the TTL without calling the partner', async () => {
    const clock = movableClock();
    const registry = fakeRegistry(clock, () => [parcel('1211000000:02:015:0042', '')]);
    const ops = wrap(registry.ops, clock);
    expect(await ops.parcelsByOwners(['3111901220'], CALL)).toEqual([[parcel('1211000000:02:015:0042', '2026-11-22T09:00:00.000Z')]]);
    clock.advance(30_000);
    const cached = parcel('1211000000:02:015:0042', '2026-11-22T09:00:00.000Z');
    cached.source.freshness = 'CACHED';
    expect(await ops.parcelsByOwners(['3111901220'], CALL)).toEqual([[cached]]);
    expect(registry.calls).toEqual([['3111901220']]);
  });

  it('serves the last copy as STALE, with the time it was fetched, when the partner fails after the TTL', async () => {
    const clock = movableClock();
    let failing = false;
    const registry = fakeRegistry(clock, () => (failing ? new PartnerUnavailableError('cadastre') : [parcel('1211000000:02:015:0042', '')]));
    const ops = wrap(registry.ops, clock);
    await ops.parcelsByOwners(['3111901220'], CALL);
    clock.advance(120_000);
    failing = true;
    const stale = parcel('1211000000:02:015:0042', '2026-11-22T09:00:00.000Z');
    stale.source.freshness = 'STALE';
    expect(await ops.parcelsByOwners(['3111901220'], CALL)).toEqual([[stale]]);
    // Older than maxStale: the typed error, not the copy.
    clock.advance(3_600_000);
    expect(await ops.parcelsByOwners(['3111901220'], CALL)).toEqual([new PartnerUnavailableError('cadastre')]);
  });

  it('never caches a failure: the next ask calls the partner again', async () => {
    const clock = movableClock();
    let failing = true;
    const registry = fakeRegistry(clock, () => (failing ? new PartnerUnavailableError('cadastre') : []));
    const ops = wrap(registry.ops, clock);
    expect(await ops.parcelsByOwners(['2660404572'], CALL)).toEqual([new PartnerUnavailableError('cadastre')]);
    failing = false;
    expect(await ops.parcelsByOwners(['2660404572'], CALL)).toEqual([[]]);
    expect(registry.calls).toEqual([['2660404572'], ['2660404572']]);
  });

  it('lets concurrent asks for the same person share one partner call, and asks only for the others', async () => {
    const clock = movableClock();
    const registry = fakeRegistry(clock, () => []);
    const ops = wrap(registry.ops, clock);
    registry.hold();
    const first = ops.parcelsByOwners(['3111901220'], CALL);
    const second = ops.parcelsByOwners(['3111901220', '2660404572'], CALL);
    registry.release();
    expect(await Promise.all([first, second])).toEqual([[[]], [[], []]]);
    expect(registry.calls).toEqual([['3111901220'], ['2660404572']]);
  });

  it('issues an extract on every ask, concurrent ones too, never from a copy, and keeps the last one issued for reading', async () => {
    const clock = movableClock();
    const keyv = new Keyv({ store: new Map() });
    const issued: string[] = [];
    let failing = true;
    let count = 0;
    const options = {
      partnerId: 'cadastre', keyv: keyv as never, hash: createKeyedHash('a test secret of some length'), clock, extractsTtlMs: 86_400_000,
    };
    const ops = wrap({
      parcelsByOwners: async () => [],
      async parcelExtract(subject) {
        issued.push(subject);
        if (failing) throw new PartnerUnavailableError('cadastre');
        return { number: `E-${(count += 1)}`, source: { partnerId: 'cadastre', fetchedAt: clock.now().toISOString(), freshness: 'LIVE' } } as unknown as RegistryExtract;
      },
    }, clock, keyv);
    const subject = '1211000000:02:015:0042';
    expect(await Promise.allSettled([1, 2].map(() => ops.parcelExtract(subject, CALL))))
      .toEqual([1, 2].map(() => ({ status: 'rejected', reason: new PartnerUnavailableError('cadastre') })));
    // A failure is not kept: there is nothing issued to read.
    expect(await issuedExtract(options, subject)).toBeNull();
    failing = false;
    expect((await Promise.all([1, 2].map(() => ops.parcelExtract(subject, CALL)))).map((e) => e.number)).toEqual(['E-1', 'E-2']);
    expect(issued).toEqual([subject, subject, subject, subject]);
    clock.advance(1000);
    expect(await issuedExtract(options, subject)).toEqual({
      number: 'E-2', source: { partnerId: 'cadastre', fetchedAt: '2026-11-22T09:00:00.000Z', freshness: 'CACHED' },
    });
    expect(await issuedExtract(options, '1211000000:02:015:0107')).toBeNull();
    clock.advance(86_400_000);
    expect(await issuedExtract(options, subject)).toBeNull();
  });

  it('keeps no raw tax id in cache keys or values', async () => {
    const clock = movableClock();
    const store = new Map<string, unknown>();
    const registry = fakeRegistry(clock, () => [parcel('1211000000:02:015:0042', '')]);
    await wrap(registry.ops, clock, new Keyv({ store })).parcelsByOwners(['3111901220'], CALL);
    expect(store.size).toBe(1);
    for (const [key, value] of store) expect(`${key} ${JSON.stringify(value)}`).not.toContain('3111901220');
  });

  it('ends an operation at its deadline with PARTNER_TIMEOUT for every key', async () => {
    const clock = movableClock();
    const registry = fakeRegistry(clock, () => []);
    registry.hold();
    const results = await wrap(registry.ops, clock, undefined, { deadlineMs: 50 }).parcelsByOwners(['3111901220', '2660404572'], CALL);
    registry.release();
    expect(results.map((r) => (r instanceof Error ? [(r as PartnerUnavailableError).code, r.message] : r))).toEqual([
      ['PARTNER_TIMEOUT', 'the partner did not answer within its 50 ms deadline'],
      ['PARTNER_TIMEOUT', 'the partner did not answer within its 50 ms deadline'],
    ]);
  });

  it('marks a stale empty list STALE as a whole, with when it was fetched: it has no item to carry that', async () => {
    const clock = movableClock();
    let failing = false;
    const registry = fakeRegistry(clock, () => (failing ? new PartnerUnavailableError('cadastre') : []));
    const ops = wrap(registry.ops, clock);
    const [live] = await ops.parcelsByOwners(['2660404572'], CALL);
    clock.advance(120_000);
    failing = true;
    const [stale] = await ops.parcelsByOwners(['2660404572'], CALL);
    expect([live, listFreshness(live), stale, listFreshness(stale)]).toEqual([[], undefined, [], { freshness: 'STALE', fetchedAt: '2026-11-22T09:00:00.000Z' }]);
  });

  it('ends an operation at the answer\'s budget (less the time to assemble the answer) when that comes before its own deadline', async () => {
    const clock = movableClock();
    const registry = fakeRegistry(clock, () => []);
    registry.hold();
    const started = Date.now();
    const results = await wrap(registry.ops, clock, undefined, { deadlineMs: 5000 }).parcelsByOwners(['3111901220'], { ...CALL, deadlineAt: started + 200 });
    registry.release();
    expect(results.map((r) => (r instanceof Error ? [(r as PartnerUnavailableError).code, r.message] : r))).toEqual([
      ['PARTNER_TIMEOUT', "the partner did not answer within the answer's budget"],
    ]);
    // 200 ms of budget less 150 ms to assemble the answer: over after about 50 ms, not 5 s.
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('lets a request that joined another\'s call wait no longer than its own budget, and bridges that with the stale copy', async () => {
    const clock = movableClock();
    const registry = fakeRegistry(clock, () => [parcel('1211000000:02:015:0042', '')]);
    const ops = wrap(registry.ops, clock, undefined, { deadlineMs: 5000 });
    await ops.parcelsByOwners(['3111901220'], CALL);
    clock.advance(120_000);
    registry.hold();
    const first = ops.parcelsByOwners(['3111901220'], CALL);
    const late = await ops.parcelsByOwners(['3111901220'], { ...CALL, deadlineAt: Date.now() + 200 });
    const stale = parcel('1211000000:02:015:0042', '2026-11-22T09:00:00.000Z');
    stale.source.freshness = 'STALE';
    expect(late).toEqual([[stale]]);
    registry.release();
    const live = parcel('1211000000:02:015:0042', '2026-11-22T09:02:00.000Z');
    expect(await first).toEqual([[live]]);
    expect(registry.calls).toEqual([['3111901220'], ['3111901220']]);
  });
});
