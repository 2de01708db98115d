import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgClient, openTrail, type OpenedTrail } from '../../audit/index.js';
import { callCounts, resetCallCounts, startTestStack, TEST_PURPOSE, type TestStack } from '../helpers/stack.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { TEST_SEAL_KEY, TEST_TRAIL_KEY } from '../helpers/trail.js';
import { BASELINE, FAULT_QUERY, PARTNER_IDS, TAX_ID } from './fault-query.js';
import { itIsTestedWhereSet } from '../helpers/ci-provided.js';

/**
 * The access trail's PostgreSQL crashing under load. The stack's trail talks to the real server
 * through a proxy of this test's own; with look-ups in flight and trail writes caught mid-
 * transaction, the proxy drops every connection and refuses new ones. No process dies (a pooled
 * or checked-out `pg` connection that errors without a listener is an uncaught exception, which
 * fails this file), every answer that could not be recorded is withheld with TRAIL_UNAVAILABLE,
 * and once the proxy lets connections through again answers resume by themselves.
 * Runs where DATABASE_URL is set (.ci/run sets it).
 */

const DATABASE_URL = process.env.DATABASE_URL;
const CONCURRENT = 20;
/** As many look-ups as the trail's pool has connections (audit/sql-client.ts). */
const POOL_SIZE = 5;

/** What a client gets when its look-up could not be recorded. */
const WITHHELD = {
  status: 503,
  body: { data: null, errors: [{ message: 'the look-up could not be recorded in the access trail, so no partner was asked; try again shortly', extensions: { code: 'TRAIL_UNAVAILABLE', retryable: true } }] },
};

async function lookUp(stack: TestStack) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': encodeURIComponent(TEST_PURPOSE) },
    body: JSON.stringify({ query: FAULT_QUERY, variables: { taxId: TAX_ID } }),
  });
  return { status: response.status, body: await response.json() };
}

async function readiness(stack: TestStack) {
  const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/readyz'));
  const body = (await response.json()) as { status: string; dependencies: Record<string, string> };
  return { status: response.status, ready: body.status, dependencies: body.dependencies };
}

/** Resolves once `count` chunks are held by the paused proxy. */
const heldChunks = (proxy: TcpProxy, count: number) => new Promise<void>((resolve) => {
  if (proxy.held() >= count) return resolve();
  const onHeld = (held: number) => { if (held >= count) { proxy.off('held', onHeld); resolve(); } };
  proxy.on('held', onHeld);
});

if (!DATABASE_URL) {
  describe('a PostgreSQL crash under the access trail', () => {
    itIsTestedWhereSet('DATABASE_URL');
  });
} else {
  describe('the access trail\'s PostgreSQL crashing with look-ups in flight', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vikno-trail-outage-'));
    const schema = `test_outage_${process.pid}`;
    let proxy: TcpProxy;
    let trail: OpenedTrail;
    let stack: TestStack;

    beforeAll(async () => {
      const target = new URL(DATABASE_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      trail = await openTrail({
        databaseUrl: proxy.url(DATABASE_URL), trailKey: TEST_TRAIL_KEY, sealKey: TEST_SEAL_KEY,
        checkpointDir: path.join(dir, 'checkpoints'), table: `${schema}.trail`,
      });
      stack = await startTestStack({ trail, securityLog: trail.securityLog, cache: false });
    });
    afterAll(async () => {
      await stack?.stop();
      await trail?.close();
      await proxy?.close();
      const client = createPgClient(DATABASE_URL);
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.close());
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers concurrent look-ups in full while the database is there', async () => {
      // Concurrent look-ups leave connections idle in the trail's pool, which the crash below drops too.
      const answers = await Promise.all(Array.from({ length: POOL_SIZE }, () => lookUp(stack)));
      expect(answers).toEqual(Array.from({ length: POOL_SIZE }, () => ({ status: 200, body: BASELINE })));
      expect(await readiness(stack)).toEqual({ status: 200, ready: 'ok', dependencies: { trail: 'up' } });
    });

    it(`withholds with TRAIL_UNAVAILABLE ${CONCURRENT} look-ups in flight when every connection drops mid-write, asking no partner, and nothing dies`, async () => {
      resetCallCounts(stack);
      // The database stops answering: the look-ups' opening records are being written (appends
      // that arrive together go in one transaction: group commit), caught mid-transaction, the
      // other look-ups' records waiting for it...
      proxy.pause();
      const inFlight = Array.from({ length: CONCURRENT }, () => lookUp(stack));
      await heldChunks(proxy, 1);
      // ...when it crashes: every connection reset, new ones refused.
      proxy.drop();
      proxy.refuse();
      expect(await Promise.all(inFlight)).toEqual(Array.from({ length: CONCURRENT }, () => WITHHELD));
      expect(callCounts(stack)).toEqual(Object.fromEntries(PARTNER_IDS.map((id) => [id, 0])));
    });

    it('withholds look-ups while the database is gone, asking no partner, and says not ready', async () => {
      resetCallCounts(stack);
      expect(await lookUp(stack)).toEqual(WITHHELD);
      expect(callCounts(stack)).toEqual(Object.fromEntries(PARTNER_IDS.map((id) => [id, 0])));
      expect(await readiness(stack)).toEqual({ status: 503, ready: 'unavailable', dependencies: { trail: 'down' } });
    });

    it('answers again by itself once the database is back', async () => {
      proxy.resume();
      expect(await lookUp(stack)).toEqual({ status: 200, body: BASELINE });
      expect(await readiness(stack)).toEqual({ status: 200, ready: 'ok', dependencies: { trail: 'up' } });
      expect(await trail.verify()).toEqual(expect.objectContaining({ ok: true }));
    });
  });
}
