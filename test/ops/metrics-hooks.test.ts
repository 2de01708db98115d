import Keyv from 'keyv';
import { createMetrics, type CircuitState, type Metrics } from '../../platform/metrics.js';
import { observedQuota, type Quota } from '../../adapters/core/partner-telemetry.js';
import { withResilience } from '../../adapters/core/resilient.js';
import { createKeyedHash } from '../../platform/keyed-hash.js';
import { silentLogger } from '../../platform/logger.js';
import type { DomainOperations, CallContext } from '../../adapters/core/contract.js';
import type { LandParcel } from '../../domain/model.js';
import { PartnerUnavailableError, PartnerTimeoutError } from '../../domain/errors.js';

/** A metric's samples (a histogram's: those named `sample`, e.g. its _count): labels joined as k=v, sorted → value. */
async function values(metrics: Metrics, name: string, sample = name): Promise<Record<string, number>> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values: all } = await metric.get();
  return Object.fromEntries(all.filter((v) => ((v as { metricName?: string }).metricName ?? name) === sample)
    .map((v) => [Object.entries(v.labels).map(([k, l]) => `${k}=${l}`).sort().join(','), v.value]));
}

describe('operation labels', () => {
  it('bounds them: registered names, then the first few others, then "other"; anonymous; the subgraph part of a name is its operation', () => {
    const metrics = createMetrics({ maxOperations: 2 });
    metrics.knowOperations(['MyOverview']);
    expect(['First', 'Second', 'Third', 'MyOverview', 'First', 'Second__gas__3', null, '', 'x'.repeat(65), 'not-a-name', 'Іменна'].map(metrics.operationLabel))
      .toEqual(['First', 'Second', 'other', 'MyOverview', 'First', 'Second', 'anonymous', 'anonymous', 'other', 'other', 'other']);
  });

  it('bounds outcomes to codes', async () => {
    const metrics = createMetrics();
    metrics.request('gateway', 'Overview', 'PARTNER_TIMEOUT', 0.2);
    metrics.request('gateway', 'Overview', 'not a code: 3111901220', 0.1);
    expect(await values(metrics, 'vikno_graphql_requests_total')).toEqual({
      'operation=Overview,outcome=PARTNER_TIMEOUT,service=gateway': 1,
      'operation=Overview,outcome=OTHER,service=gateway': 1,
    });
  });
});

describe('partner hooks', () => {
  it('measures quota waits: granted, and refused when the wait would overrun the budget', async () => {
    const metrics = createMetrics();
    let refuse = false;
    const quota = observedQuota<Quota>({
      acquire: async () => { if (refuse) throw new PartnerTimeoutError('water-kryvyi-rih', 'quota'); return () => undefined; },
      pause: () => undefined,
    }, 'water-kryvyi-rih', metrics);
    (await quota.acquire(Date.now() + 1000, 50))();
    refuse = true;
    await expect(quota.acquire(Date.now() + 1000, 50)).rejects.toThrow(PartnerTimeoutError);
    expect(await values(metrics, 'vikno_partner_quota_wait_seconds', 'vikno_partner_quota_wait_seconds_count'))
      .toEqual({ 'outcome=granted,partner=water-kryvyi-rih': 1, 'outcome=refused,partner=water-kryvyi-rih': 1 });
    // A wait of 120 ms (the quota engineer's direct call), beside the instant one above.
    metrics.quotaWait('water-kryvyi-rih', 120);
    const buckets = await values(metrics, 'vikno_partner_quota_wait_seconds', 'vikno_partner_quota_wait_seconds_bucket');
    expect([buckets['le=0.1,outcome=granted,partner=water-kryvyi-rih'], buckets['le=0.25,outcome=granted,partner=water-kryvyi-rih']]).toEqual([1, 2]);
  });

  it("reports each partner's circuit at every scrape", async () => {
    const metrics = createMetrics();
    let state: CircuitState = 'CLOSED';
    metrics.watchCircuit('heating-kryvyi-rih', () => state);
    metrics.watchCircuit('gas-kryvyi-rih', () => 'HALF_OPEN');
    expect(await values(metrics, 'vikno_partner_circuit_state')).toEqual({ 'partner=heating-kryvyi-rih': 0, 'partner=gas-kryvyi-rih': 1 });
    state = 'OPEN';
    expect(await values(metrics, 'vikno_partner_circuit_state')).toEqual({ 'partner=heating-kryvyi-rih': 2, 'partner=gas-kryvyi-rih': 1 });
  });

  it('counts misses, stale serves and cache errors of the records cache', async () => {
    const metrics = createMetrics();
    let now = Date.parse('2026-11-22T09:00:00.000Z');
    let failing = false;
    const parcel = { cadastralNumber: '1211000000:02:015:0042', source: { partnerId: 'cadastre-dzk', fetchedAt: '2026-11-22T09:00:00.000Z', freshness: 'LIVE' } } as unknown as LandParcel;
    const registry: DomainOperations['cadastre'] = {
      parcelsByOwners: async (taxIds) => taxIds.map(() => (failing ? new PartnerUnavailableError('cadastre-dzk') : [parcel])),
      parcelExtract: async () => { throw new Error('not used'); },
    };
    const keyv = new Keyv({ store: new Map() });
    const ops = withResilience('cadastre', registry, {
      partnerId: 'cadastre-dzk', keyv: keyv as never, hash: createKeyedHash('a test secret of some length'), clock: { now: () => new Date(now) },
      log: silentLogger(), deadlineMs: 1000, recordsTtlMs: 60_000, extractsTtlMs: 86_400_000, maxStaleMs: 3_600_000, metrics,
    });
    const call: CallContext = { requestId: 'test', officialId: 'test-official', purpose: 'TEST-001' };
    await ops.parcelsByOwners(['3111901220'], call);
    await ops.parcelsByOwners(['3111901220'], call);
    now += 120_000;
    failing = true;
    await ops.parcelsByOwners(['3111901220'], call);
    keyv.get = async () => { throw new Error('the store is down'); };
    await ops.parcelsByOwners(['2660404572'], call);
    expect({
      lookups: await values(metrics, 'vikno_partner_cache_lookups_total'),
      stale: await values(metrics, 'vikno_partner_cache_stale_serves_total'),
      errors: await values(metrics, 'vikno_partner_cache_errors_total'),
    }).toEqual({
      lookups: { 'cache=records,partner=cadastre-dzk,result=miss': 3, 'cache=records,partner=cadastre-dzk,result=hit': 1 },
      stale: { 'cache=records,partner=cadastre-dzk': 1 },
      errors: { 'cache=records,partner=cadastre-dzk': 1 },
    });
  });
});

describe('process metrics', () => {
  it('adds CPU, memory and event-loop delay when asked (once per process)', async () => {
    const text = await createMetrics({ process: true }).registry.metrics();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(await createMetrics().registry.metrics()).not.toContain('process_cpu_user_seconds_total');
  });
});
