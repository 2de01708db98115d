import { jest } from '@jest/globals';
import { createClient } from '@keyv/redis';
import { createQuota, QuotaWaitError, type PartnerQuota, type QuotaOptions } from '../../adapters/core/quota.js';
import { silentLogger } from '../../platform/logger.js';
import { captureLog } from '../helpers/stack.js';
import { itIsTestedWhereSet } from '../helpers/ci-provided.js';

/**
 * A partner's quota on scripted time (jest's fake timers move Date and setTimeout together): when
 * each call may start, how many are open at once, what a wait that does not fit the deadline does,
 * and a 429's pause. With Redis (REDIS_URL), two replicas share one rate.
 */

const FAR = 60_000;

beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-22T09:00:00.000Z') }));
afterEach(() => jest.useRealTimers());

const quota = (options: Partial<QuotaOptions>) => createQuota({ partnerId: 'water-kryvyi-rih', log: silentLogger(), now: () => Date.now(), ...options });

/** Starts `n` acquires at once and returns when each got its permit, in ms from now (scripted time). */
async function startTimes(q: PartnerQuota, n: number, deadlineMs = FAR): Promise<Array<number | string>> {
  const t0 = Date.now();
  const deadlineAt = t0 + deadlineMs;
  const starts = Array.from({ length: n }, () => q.acquire(deadlineAt, 50).then((release) => { release(); return Date.now() - t0; },
    (error: unknown) => (error instanceof QuotaWaitError ? `${error.code}: ${error.message}` : String(error))));
  await jest.advanceTimersByTimeAsync(deadlineMs);
  return Promise.all(starts);
}

describe('a partner quota', () => {
  it('spaces calls 1/callsPerSecond apart with a bucket of one', async () => {
    expect(await startTimes(quota({ callsPerSecond: 20 }), 6)).toEqual([0, 50, 100, 150, 200, 250]);
  });

  it('lets a burst start at once after a quiet spell, then spaces the rest', async () => {
    expect(await startTimes(quota({ callsPerSecond: 10, burst: 3 }), 6)).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('never starts more than callsPerSecond calls in any one-second window, however the partner aligns it', async () => {
    const starts = (await startTimes(quota({ callsPerSecond: 20 }), 100, 10_000)) as number[];
    const busiest = Math.max(...starts.map((s) => starts.filter((t) => t >= s && t < s + 1000).length));
    expect(busiest).toBe(20);
  });

  it('holds calls beyond inFlight until one is released', async () => {
    const q = quota({ inFlight: 2 });
    const deadlineAt = Date.now() + FAR;
    const first = await q.acquire(deadlineAt, 50);
    await q.acquire(deadlineAt, 50);
    let third = false;
    const waiting = q.acquire(deadlineAt, 50).then(() => { third = true; });
    await jest.advanceTimersByTimeAsync(1000);
    expect(third).toBe(false);
    first();
    await waiting;
    expect(third).toBe(true);
  });

  it('fails at once with PARTNER_TIMEOUT when the wait would not leave time for the call, and reserves nothing for it', async () => {
    // 20 a second: the fifth call would start at 200 ms, past a 230 ms deadline less 50 ms for the call.
    expect(await startTimes(quota({ callsPerSecond: 20 }), 5, 230)).toEqual([
      0, 50, 100, 150, "PARTNER_TIMEOUT: waiting for the partner's quota would exceed the budget",
    ]);
  });

  it('starts no call for the pause a 429 asked for', async () => {
    const q = quota({ callsPerSecond: 20 });
    q.pause(1000);
    expect(await startTimes(q, 2)).toEqual([1000, 1050]);
  });

  it('keeps pauses even without a rate of its own', async () => {
    const q = quota({});
    q.pause(500);
    expect(await startTimes(q, 3)).toEqual([500, 500, 500]);
  });

  it('paces alone, and says so once, when Redis does not answer within 50 ms', async () => {
    const log = captureLog();
    const q = quota({ callsPerSecond: 20, log: log.logger, shared: () => new Promise(() => undefined) });
    expect(await startTimes(q, 3, 1000)).toEqual([50, 100, 150]);
    // For the next 5 s it does not ask Redis: no call waits for it.
    expect(await startTimes(q, 2, 1000)).toEqual([0, 50]);
    expect(log.lines.map((line) => JSON.parse(line).msg)).toEqual(["the partner's quota cannot be shared through Redis: this replica paces alone"]);
  });
});

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  describe('a partner quota shared through Redis', () => {
    itIsTestedWhereSet('REDIS_URL');
  });
} else describe('a partner quota shared through Redis', () => {
  let client: ReturnType<typeof createClient>;
  beforeEach(async () => {
    jest.useRealTimers();
    client = createClient({ url: redisUrl });
    await client.connect();
  });
  afterEach(async () => { await client.quit(); });

  it('keeps two replicas together within the rate, and a 429 to one pauses both', async () => {
    const partnerId = `quota-test-${process.pid}-${Date.now()}`;
    // When each reserved call may start (by this host's clock, as the reply arrives): Redis's replies are waits from its own now.
    const planned: number[] = [];
    const shared = async (script: string, keys: string[], args: string[]) => {
      const reply = await client.eval(script, { keys, arguments: args });
      if (Number(args[2]) === 0) planned.push(Date.now() + Number(reply));
      return reply;
    };
    const replicas = [0, 1].map(() => createQuota({ partnerId, log: silentLogger(), callsPerSecond: 50, shared, sharedTimeoutMs: 1000 }));
    const t0 = Date.now();
    // Ten calls, five from each replica, at once: reserved 20 ms apart (a little less by this host's clock, read after each reply).
    await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2].acquire(t0 + FAR, 50).then((release) => release())));
    const sorted = planned.sort((a, b) => a - b);
    expect(sorted.slice(1).map((s, i) => s - sorted[i] >= 15)).toEqual(Array(9).fill(true));
    expect(sorted[9] - sorted[0]).toBeGreaterThanOrEqual(170);

    replicas[0].pause(300);
    const paused = Date.now();
    await replicas[1].acquire(paused + FAR, 50).then((release) => release());
    expect(Date.now() - paused).toBeGreaterThanOrEqual(280);
    await client.del(`vikno:quota:${partnerId}`);
  });
});
