import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { createKeyedHash } from '../../platform/keyed-hash.js';
import { createSharedStore } from '../../platform/store.js';
import { captureLog, gql, startTestStack, TEST_NOW, type TestStack } from '../helpers/stack.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/until.js';
import { FAULT_QUERY, fullAnswer, TAX_ID } from './fault-query.js';
import { itIsTestedWhereSet } from '../helpers/ci-provided.js';

/**
 * Redis is a shared cache, never a dependency of an answer. The stack talks to the real Redis
 * through a proxy of this test's own, which makes it hang (pause) or vanish (drop every connection,
 * refuse new ones): answers keep flowing, LIVE from the partners, and once Redis is back what it
 * held is served CACHED again. Runs where REDIS_URL is set (.ci/run sets it).
 */

const REDIS_URL = process.env.REDIS_URL;
/** This run's own: its keys are its own whatever else Redis holds. */
const cacheKeySecret = randomBytes(32).toString('base64url');
const LIVE = fullAnswer(() => ({ freshness: 'LIVE', fetchedAt: TEST_NOW }));
const CACHED = fullAnswer(() => ({ freshness: 'CACHED', fetchedAt: TEST_NOW }));
const UNAVAILABLE = 'Redis is unavailable: the caches and the partners\' status board go without it (reads are misses, writes are dropped) until it is back';
const BACK = 'Redis is back: the caches and the partners\' status board use it again';

/** What the stack logged about Redis going away and coming back. */
const redisLines = (stack: TestStack) => stack.log.lines.map((line) => JSON.parse(line)).filter((line) => line.msg === UNAVAILABLE || line.msg === BACK).map((line) => line.msg);

async function readiness(stack: TestStack) {
  const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/readyz'));
  const body = (await response.json()) as { status: string; dependencies: Record<string, string> };
  return { status: response.status, ready: body.status, dependencies: body.dependencies };
}

if (!REDIS_URL) {
  describe('a Redis outage', () => {
    itIsTestedWhereSet('REDIS_URL');
  });
} else {
  describe('a Redis outage under a running stack', () => {
    let proxy: TcpProxy;
    let stack: TestStack;

    beforeAll(async () => {
      const target = new URL(REDIS_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      // A wider bound than production's 50 ms: the proxy forwards in this test's own event loop, on a
      // machine shared with other suites, and a late answer would be a miss (LIVE where CACHED is expected).
      stack = await startTestStack({ redisUrl: proxy.url(REDIS_URL), cacheKeySecret, cacheTimeoutMs: 250 });
    });
    afterAll(async () => {
      await stack?.stop();
      await proxy?.close();
      // Only this run's records: their keys carry a keyed hash under this run's secret.
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      const hash = createKeyedHash(cacheKeySecret)(TAX_ID);
      const ours: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `*${hash}*`, COUNT: 1000 })) ours.push(...batch);
      if (ours.length > 0) await redis.del(ours);
      await redis.close();
    });

    it('serves CACHED what it fetched LIVE while Redis is there', async () => {
      expect(await gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(LIVE);
      expect(await gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(CACHED);
      expect(await readiness(stack)).toEqual({ status: 200, ready: 'ok', dependencies: { trail: 'up', redis: 'up' } });
    });

    it('answers in full, LIVE from the partners, while Redis hangs; readiness says degraded, still 200', async () => {
      proxy.pause();
      expect(await gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(LIVE);
      expect(stack.store.state()).toBe('degraded');
      expect(await gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(LIVE);
      expect(await readiness(stack)).toEqual({ status: 200, ready: 'degraded', dependencies: { trail: 'up', redis: 'down' } });
    });

    it('answers in full, LIVE, while Redis is gone (every connection dropped, new ones refused)', async () => {
      proxy.drop();
      proxy.refuse();
      for (let i = 0; i < 3; i++) expect(await gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(LIVE);
      expect(await readiness(stack)).toEqual({ status: 200, ready: 'degraded', dependencies: { trail: 'up', redis: 'down' } });
      expect(redisLines(stack)).toEqual([UNAVAILABLE]);
      expect(stack.store.stats()).toEqual(expect.objectContaining({ outages: 1, degraded: true }));
    });

    it('uses Redis again by itself once it is back: what it held is CACHED again, and that is logged once', async () => {
      proxy.resume();
      await until('the store has reconnected', () => stack.store.state() === 'up');
      expect(await gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(CACHED);
      expect(redisLines(stack)).toEqual([UNAVAILABLE, BACK]);
      await until('the limiter has reconnected', async () => (await readiness(stack)).ready === 'ok');
      expect(await readiness(stack)).toEqual({ status: 200, ready: 'ok', dependencies: { trail: 'up', redis: 'up' } });
    });
  });

  describe('a start with Redis unreachable', () => {
    it('fails within 5 s naming REDIS_URL, without hanging, when nothing listens there', async () => {
      const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
      proxy.refuse();
      const { logger } = captureLog();
      try {
        await expect(createSharedStore(`redis://127.0.0.1:${proxy.port}`, { cacheKeySecret, log: logger })).rejects.toThrow(
          new RegExp(`^REDIS_URL: cannot connect to Redis at 127\\.0\\.0\\.1:${proxy.port} within 5 s \\(`),
        );
      } finally {
        await proxy.close();
      }
    });

    it('fails the same way when Redis accepts the connection but never answers', async () => {
      const target = new URL(REDIS_URL);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      proxy.pause();
      const { logger } = captureLog();
      try {
        await expect(createSharedStore(proxy.url(REDIS_URL), { cacheKeySecret, log: logger, startTimeoutMs: 500 })).rejects.toThrow(
          `REDIS_URL: cannot connect to Redis at 127.0.0.1:${proxy.port} within 0.5 s (no connection within 0.5 s)`,
        );
      } finally {
        await proxy.close();
      }
    });
  });
}
