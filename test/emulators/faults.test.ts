import { once } from 'node:events';
import { fixedClock } from '../../platform/clock.js';
import { listen } from '../../emulators/kit/serve.js';
import { createPopulation } from '../../emulators/population/index.js';
import { createGasVinnytsiaEmulator } from '../../emulators/gas-vinnytsia/index.js';
import { WATER_TARIFFS } from '../../emulators/water-kryvyi-rih/tariffs.js';
import { draws, startWater, type Water } from './harness.js';

async function answer(response: Response) {
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('faults every emulator can be told to show', () => {
  let water: Water;
  beforeEach(async () => { water = await startWater(); });
  afterEach(() => water.server.close());

  it('answers as the partner does when no fault is set', async () => {
    const response = await water.tariffs();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: WATER_TARIFFS });
  });

  it('answers every call 503 when the partner is down, and still counts the calls', async () => {
    water.emulator.faults.down = true;
    expect(await answer(await water.tariffs())).toEqual({ status: 503, type: 'text/plain; charset=utf-8', body: 'Service Unavailable' });
    expect(await answer(await water.tariffs())).toEqual({ status: 503, type: 'text/plain; charset=utf-8', body: 'Service Unavailable' });
    expect(water.emulator.stats).toMatchObject({ calls: 2, byOperation: { tariffs: 2 } });
  });

  it('answers a burst of calls 429 with Retry-After when the throttle rate is 1', async () => {
    water.emulator.setFaults({ throttleRate: 1 });
    const first = await water.tariffs();
    expect([first.status, first.headers.get('retry-after'), await first.text()]).toEqual([429, '1', 'Too Many Requests']);
    water.emulator.setFaults({ throttleRetryAfterSeconds: 30 });
    const second = await water.tariffs();
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, '30']);
  });

  it('replaces a 200 answer by a garbled body of the same content type, and leaves other answers alone', async () => {
    water.emulator.faults.malformedRate = 1;
    expect(await answer(await water.tariffs())).toEqual({ status: 200, type: 'application/json; charset=utf-8', body: '{"unexpected":' });
    const refused = await answer(await water.tariffs({ headers: {} }));
    expect(refused).toEqual({
      status: 401,
      type: 'application/json; charset=utf-8',
      body: JSON.stringify({ error: { code: 'unauthorized', message: 'a valid bearer token is required' } }),
    });
  });

  it('garbles a CSV export in its own windows-1251 content type', async () => {
    const population = createPopulation({ size: 50, asOf: '2026-11-01' });
    const gas = createGasVinnytsiaEmulator({
      population, credentials: { login: 'cnap', password: 'secret' }, clock: fixedClock('2026-11-05T09:30:00Z'), faults: { malformedRate: 1 },
    });
    const server = await listen(gas.app);
    try {
      const response = await fetch(`${server.url}/export/tariffs`, { headers: { authorization: `Basic ${Buffer.from('cnap:secret').toString('base64')}` } });
      expect(await answer(response)).toEqual({ status: 200, type: 'text/csv; charset=windows-1251', body: '"unexpected;\r\n' });
    } finally {
      await server.close();
    }
  });

  it('draws once per rate that is set, throttle before failure before malformed, so a seeded random gives exact outcomes', async () => {
    const random = draws(0.2, /* */ 0.7, 0.2, /* */ 0.7, 0.7, 0.2, /* */ 0.7, 0.7, 0.7);
    const seeded = await startWater({ random, faults: { throttleRate: 0.5, failRate: 0.5, malformedRate: 0.5 } });
    try {
      const answers = [];
      for (let i = 0; i < 4; i += 1) answers.push(await answer(await seeded.tariffs()));
      expect(answers.map((a) => [a.status, a.body])).toEqual([
        [429, 'Too Many Requests'], [500, 'Internal Server Error'], [200, '{"unexpected":'], [200, JSON.stringify({ data: WATER_TARIFFS })],
      ]);
      expect(random.left).toEqual([]);
    } finally {
      await seeded.server.close();
    }
  });

  it('answers a share of calls 500 by the failure rate', async () => {
    const seeded = await startWater({ random: draws(0.49, 0.5, 0), faults: { failRate: 0.5 } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await seeded.tariffs()).status);
      expect(statuses).toEqual([500, 200, 500]);
    } finally {
      await seeded.server.close();
    }
  });

  it('adds the latency and a uniform jitter from 0 to jitterMs', async () => {
    // floor(0.05 × 1001) = 50 ms of jitter on top of 50 ms of latency.
    const seeded = await startWater({ random: draws(0.05), faults: { latencyMs: 50, jitterMs: 1000 } });
    try {
      const started = performance.now();
      expect((await seeded.tariffs()).status).toBe(200);
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(99);
      expect(took).toBeLessThan(1000);
    } finally {
      await seeded.server.close();
    }
  });

  it('resets the connection with no HTTP answer when told to refuse, and counts the call', async () => {
    water.emulator.faults.refuse = true;
    const error = await water.tariffs().then(() => null, (e: Error & { cause?: { code?: string } }) => e);
    expect([error?.name, error?.message, error?.cause?.code]).toEqual(['TypeError', 'fetch failed', 'ECONNRESET']);
    expect(water.emulator.stats.calls).toBe(1);
    water.emulator.faults.refuse = false;
    expect((await water.tariffs()).status).toBe(200);
  });

  it('holds a call open without an answer until the client gives up', async () => {
    water.emulator.faults.hang = true;
    await expect(water.tariffs({ signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(water.emulator.stats.calls).toBe(1);
  });

  it('ends the held calls when hang is switched off, and answers the next ones', async () => {
    water.emulator.faults.hang = true;
    const held = once(water.emulator.held, 'hold');
    const pending = water.tariffs().then(() => null, (e: Error & { cause?: { code?: string } }) => e.cause?.code);
    await held;
    expect(water.emulator.held.size).toBe(1);
    water.emulator.faults.hang = false;
    expect(await pending).toBe('UND_ERR_SOCKET');
    expect(water.emulator.held.size).toBe(0);
    expect((await water.tariffs()).status).toBe(200);
  });

  it('ends the held calls when the server closes', async () => {
    water.emulator.faults.hang = true;
    const held = once(water.emulator.held, 'hold');
    const pending = water.tariffs().then(() => null, (e: Error & { cause?: { code?: string } }) => e.cause?.code);
    await held;
    await water.server.close();
    expect(await pending).toBe('UND_ERR_SOCKET');
    expect(water.emulator.held.size).toBe(0);
    water = await startWater(); // afterEach closes this one
  });

  it('refuses a bad value set directly, naming the field', () => {
    expect(() => { water.emulator.faults.failRate = 2; }).toThrow(new TypeError('failRate: must be a number from 0 to 1, got 2'));
    expect(() => { (water.emulator.faults as unknown as Record<string, unknown>).failrate = 1; }).toThrow(/^failrate: not a fault \(the faults are latencyMs, /);
    expect(() => water.emulator.setFaults({ latencyMs: -1 })).toThrow('latencyMs: must be a whole number of ms from 0 to 600000, got -1');
    expect(water.emulator.faults.failRate).toBe(0);
  });
});
