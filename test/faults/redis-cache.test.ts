import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import { createKeyedHash } from '../../platform/keyed-hash.js';
import { projectRoot } from '../../domain/project-root.js';
import { loadQuery } from '../../docs/queries/index.js';
import { callCounts, gql, resetCallCounts, startTestStack, TEST_NOW } from '../helpers/stack.js';
import { FAULT_QUERY, fullAnswer, LISTING_CALL, PARTNER_IDS, TAX_ID } from './fault-query.js';
import { itIsTestedWhereSet } from '../helpers/ci-provided.js';

/**
 * Two instances sharing one Redis share one cache: what one fetched, the other serves CACHED
 * without calling any partner. Redis holds nothing readable about anyone: keys are keyed hashes,
 * values are sealed (AES-256-GCM), and a value that does not open is a miss. Runs where REDIS_URL
 * is set (.ci/run sets it). The cache key secret is made up for this run, so its keys are its own
 * whatever else Redis holds, and nothing global is flushed.
 */

const DEMO_TAX_IDS = ['3111901220', '2660404572'];
/** The fields of the golden overviews that name or identify a person. */
const PERSONAL_FIELDS = new Set(['taxId', 'accountNumber', 'address', 'eic', 'cadastralNumber', 'holderName', 'vin', 'plate', 'plateCyrillic']);

/** The demo citizens' tax ids, account numbers, addresses, EICs, parcels, co-owners' names, VINs and plates. */
function demoPersonalValues(): string[] {
  const values = new Set<string>();
  const walk = (node: unknown, field?: string): void => {
    if (Array.isArray(node)) node.forEach((item) => walk(item, field));
    else if (node && typeof node === 'object') Object.entries(node).forEach(([key, value]) => walk(value, key));
    else if (typeof node === 'string' && field && PERSONAL_FIELDS.has(field)) values.add(node);
  };
  for (const taxId of DEMO_TAX_IDS) walk(JSON.parse(readFileSync(path.join(projectRoot(), 'test', 'fixtures', 'golden', `overview-${taxId}.json`), 'utf8')));
  return [...values];
}

/** Whether `text` holds `value` as a whole token: a digit run inside random base64 is no mention. */
function mentions(text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9+/=_-])${escaped}(?![A-Za-z0-9+/=_-])`, 'u').test(text);
}

/** The namespaces the partners' caches and status board write (adapters/core/partners.ts, status-board). */
const CACHE_NAMESPACE = /^(partner:|partner-data:|partner-status::)/;

const REDIS_URL = process.env.REDIS_URL;

if (!REDIS_URL) {
  describe('the shared Redis cache', () => {
    itIsTestedWhereSet('REDIS_URL');
  });
} else {
  describe('two instances sharing one Redis', () => {
    const cacheKeySecret = randomBytes(32).toString('base64url');
    const redis = createClient({ url: REDIS_URL });
    let a: Awaited<ReturnType<typeof startTestStack>>;
    let b: Awaited<ReturnType<typeof startTestStack>>;

    beforeAll(async () => {
      await redis.connect();
      // What is cached and how is checked here, not the 50 ms bound on each cache operation (a read
      // or write past it is a miss or dropped: test/faults/redis-outage.test.ts), which a busy CI
      // machine can overrun.
      const cacheTimeoutMs = 5000;
      a = await startTestStack({ redisUrl: REDIS_URL, cacheKeySecret, cacheTimeoutMs });
      b = await startTestStack({ redisUrl: REDIS_URL, cacheKeySecret, cacheTimeoutMs });
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      // Only this run's records and extracts: their keys carry a keyed hash under this run's secret.
      const hashes = demoPersonalValues().map(createKeyedHash(cacheKeySecret));
      const ours = (await allKeys()).filter((key) => hashes.some((hash) => key.includes(hash)));
      if (ours.length > 0) await redis.del(ours);
      await redis.close();
    });

    async function allKeys(): Promise<string[]> {
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ COUNT: 1000 })) keys.push(...batch);
      return keys;
    }

    /** A key's value as text, whatever its Redis type. */
    async function valueOf(key: string): Promise<string> {
      switch (await redis.type(key)) {
        case 'string': return (await redis.get(key)) ?? '';
        case 'set': return (await redis.sMembers(key)).join('\n');
        case 'hash': return JSON.stringify(await redis.hGetAll(key));
        case 'list': return (await redis.lRange(key, 0, -1)).join('\n');
        case 'zset': return (await redis.zRange(key, 0, -1)).join('\n');
        default: return '';
      }
    }

    it('serves through instance B, CACHED and without calling B\'s partners, what instance A fetched LIVE', async () => {
      resetCallCounts(a);
      expect(await gql(a.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(fullAnswer(() => ({ freshness: 'LIVE', fetchedAt: TEST_NOW })));
      // Each of A's partners listed the citizen's records once (tariffs may already be in Redis from an earlier run).
      const listings = Object.fromEntries(PARTNER_IDS.map((id) => [id, a.emulators.get(id)!.emulator.stats.byOperation[LISTING_CALL[id]]]));
      expect(listings).toEqual(Object.fromEntries(PARTNER_IDS.map((id) => [id, 1])));

      resetCallCounts(b);
      expect(await gql(b.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(fullAnswer(() => ({ freshness: 'CACHED', fetchedAt: TEST_NOW })));
      expect(callCounts(b)).toEqual(Object.fromEntries(PARTNER_IDS.map((id) => [id, 0])));
    });

    it('holds no raw tax id in any key or value', async () => {
      await gql(a.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID });
      const keys = await allKeys();
      const hash = createKeyedHash(cacheKeySecret)(TAX_ID);
      // The records are there, under the keyed hash: one key per partner.
      expect(keys.filter((key) => key.includes(hash))).toHaveLength(PARTNER_IDS.length);
      const naming: string[] = [];
      for (const key of keys) if (key.includes(TAX_ID) || mentions(await valueOf(key), TAX_ID)) naming.push(key);
      expect(naming).toEqual([]);
    });

    it('holds none of the demo citizens\' data, readable, after their whole overviews and issued extracts were cached', async () => {
      const overview = loadQuery('overview');
      const issue = `mutation Issue($taxId: ID!, $n: ID!, $vin: ID!, $p: String!) {
        issueParcelExtract(taxId: $taxId, cadastralNumber: $n, purpose: $p) { extract { number } }
        issueVehicleRegistrationExtract(taxId: $taxId, vin: $vin, purpose: $p) { extract { number } } }`;
      for (const taxId of DEMO_TAX_IDS) {
        const answer = await gql(a.gatewayUrl, overview, { taxId });
        expect(answer.errors).toBeUndefined();
        const { landParcels, vehicles } = answer.data!.citizen as { landParcels: Array<{ cadastralNumber: string }>; vehicles: Array<{ vin: string }> };
        for (let i = 0; i < Math.max(landParcels.length, vehicles.length); i++) {
          const n = (landParcels[i] ?? landParcels[0]).cadastralNumber;
          const vin = (vehicles[i] ?? vehicles[0]).vin;
          expect((await gql(a.gatewayUrl, issue, { taxId, n, vin, p: 'справа 9/2026' })).errors).toBeUndefined();
        }
      }
      const personal = demoPersonalValues();
      expect(personal).toEqual(expect.arrayContaining(['3111901220', '2660404572', '1226433935', '56ZKR7579634777G', 'JTNB11HK1KU048213', 'AE1234KX', 'Шевченко Андрій Іванович']));
      const keys = await allKeys();
      // Both citizens' records are cached (one key per partner each), and the extracts issued for their 3 parcels and 3 vehicles.
      const hashes = personal.map(createKeyedHash(cacheKeySecret));
      const ours = keys.filter((key) => hashes.some((hash) => key.includes(hash)));
      const hashOf = createKeyedHash(cacheKeySecret);
      // Named by partner and citizen, so a missing one says whose it is.
      const recordKeys = ours.filter((key) => key.includes('::records:'))
        .map((key) => `${key.slice(0, key.indexOf('::'))} ${DEMO_TAX_IDS.find((t) => key.endsWith(hashOf(t))) ?? '?'}`).sort();
      expect(recordKeys).toEqual(PARTNER_IDS.flatMap((id) => DEMO_TAX_IDS.map((t) => `partner-data:${id} ${t}`)).sort());
      expect(ours.filter((key) => key.includes('::extract:'))).toHaveLength(6);
      const found: string[] = [];
      const readable: string[] = [];
      for (const key of keys) {
        const value = await valueOf(key);
        for (const item of personal) if (mentions(key, item) || mentions(value, item)) found.push(`${key}: ${item.slice(0, 3)}…`);
        if (CACHE_NAMESPACE.test(key) && !/^v1\.[A-Za-z0-9_-]+$/.test(value)) readable.push(key);
      }
      expect(found).toEqual([]);
      expect(readable).toEqual([]);
    });

    it('treats a changed value as a miss, asks that partner again, and logs it once without the value', async () => {
      await gql(a.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID });
      const record = (await allKeys()).filter((key) => key.startsWith('partner-data:gas-kryvyi-rih::') && key.includes(createKeyedHash(cacheKeySecret)(TAX_ID)));
      expect(record).toHaveLength(1);
      const tamper = async () => {
        const sealed = (await redis.get(record[0]))!;
        const at = sealed.length - 30;
        await redis.set(record[0], sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1));
      };
      const gasLive = (partner: string) => ({ freshness: partner === 'gas-kryvyi-rih' ? 'LIVE' as const : 'CACHED' as const, fetchedAt: TEST_NOW });
      for (let round = 0; round < 2; round++) {
        await tamper();
        resetCallCounts(b);
        expect(await gql(b.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(fullAnswer(gasLive));
        expect({ ...callCounts(b), 'gas-kryvyi-rih': 0 }).toEqual(Object.fromEntries(PARTNER_IDS.map((id) => [id, 0])));
        expect(b.emulators.get('gas-kryvyi-rih')!.emulator.stats.byOperation[LISTING_CALL['gas-kryvyi-rih']]).toBe(1);
      }
      const warnings = b.log.lines.map((line) => JSON.parse(line)).filter((line) => line.namespace === 'partner-data:gas-kryvyi-rih');
      expect(warnings.map((line) => ({ ...line, time: 0 }))).toEqual([{
        level: 40, time: 0, service: 'vikno', namespace: 'partner-data:gas-kryvyi-rih', requestId: expect.any(String), // read during a request
        msg: 'a cached value failed authentication (changed, or written under another CACHE_KEY_SECRET): treated as a miss',
      }]);
    });
  });
}
