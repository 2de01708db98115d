import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import { createKeyedHash } from '../../adapters/core/keyed-hash.js';
import { projectRoot } from '../../domain/project-root.js';
import { callCounts, gql, resetCallCounts, startTestStack, TEST_NOW } from '../helpers/stack.js';
import { FAULT_QUERY, fullAnswer, LISTING_CALL, PARTNER_IDS, TAX_ID } from './fault-query.js';

/**
 * Two instances sharing one Redis share one cache: what one fetched, the other serves CACHED
 * without calling any partner, and Redis holds no raw tax id, in keys or in values. Runs where
 * REDIS_URL is set (.ci/run sets it). The cache key secret is made up for this run, so its keys
 * are its own whatever else Redis holds, and nothing global is flushed.
 */

const REDIS_URL = process.env.REDIS_URL;

if (!REDIS_URL) {
  describe('the shared Redis cache', () => {
    it('is tested where REDIS_URL is set, which .ci/run does', () => {
      expect(readFileSync(path.join(projectRoot(), '.ci', 'run'), 'utf8')).toMatch(/^export REDIS_URL=/m);
    });
  });
} else {
  describe('two instances sharing one Redis', () => {
    const cacheKeySecret = randomBytes(32).toString('base64url');
    const redis = createClient({ url: REDIS_URL });
    let a: Awaited<ReturnType<typeof startTestStack>>;
    let b: Awaited<ReturnType<typeof startTestStack>>;

    beforeAll(async () => {
      await redis.connect();
      a = await startTestStack({ redisUrl: REDIS_URL, cacheKeySecret });
      b = await startTestStack({ redisUrl: REDIS_URL, cacheKeySecret });
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      // Only this run's records: their keys carry the tax id's keyed hash under this run's secret.
      const ours = (await allKeys()).filter((key) => key.includes(createKeyedHash(cacheKeySecret)(TAX_ID)));
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
      const keys = await allKeys();
      const hash = createKeyedHash(cacheKeySecret)(TAX_ID);
      // The records are there, under the keyed hash: one key per partner.
      expect(keys.filter((key) => key.includes(hash))).toHaveLength(PARTNER_IDS.length);
      const naming: string[] = [];
      for (const key of keys) if (key.includes(TAX_ID) || (await valueOf(key)).includes(TAX_ID)) naming.push(key);
      expect(naming).toEqual([]);
    });
  });
}
