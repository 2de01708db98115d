import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { isLoopbackAddress } from '../../emulators/kit/admin.js';
import { DEFAULT_FAULTS, FAULT_NAMES } from '../../emulators/kit/faults.js';
import { startWater, type Water } from './harness.js';

async function json(response: Response) {
  return { status: response.status, body: await response.json() };
}

describe('the loopback admin endpoint of an emulator', () => {
  let water: Water;
  beforeEach(async () => { water = await startWater(); });
  afterEach(() => water.server.close());

  it('shows the faults in force, every one with its default', async () => {
    expect(await json(await water.admin('GET', '/faults'))).toEqual({ status: 200, body: DEFAULT_FAULTS });
    expect(DEFAULT_FAULTS).toEqual({
      latencyMs: 0, jitterMs: 0, failRate: 0, down: false, hang: false, refuse: false,
      throttleRate: 0, throttleRetryAfterSeconds: 1, malformedRate: 0,
    });
  });

  it('merges a PATCH and replaces on PUT', async () => {
    expect(await json(await water.admin('PATCH', '/faults', '{"down":true}'))).toEqual({ status: 200, body: { ...DEFAULT_FAULTS, down: true } });
    expect(await json(await water.admin('PATCH', '/faults', '{"latencyMs":5}'))).toEqual({ status: 200, body: { ...DEFAULT_FAULTS, down: true, latencyMs: 5 } });
    expect(water.emulator.faults).toEqual({ ...DEFAULT_FAULTS, down: true, latencyMs: 5 });
    expect((await water.tariffs()).status).toBe(503);
    expect(await json(await water.admin('PUT', '/faults', '{"failRate":0.25}'))).toEqual({ status: 200, body: { ...DEFAULT_FAULTS, failRate: 0.25 } });
  });

  it('takes a JSON body whatever its content type, as a bare curl -d sends it', async () => {
    const response = await water.admin('PATCH', '/faults', '{"throttleRate":1}', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(await json(response)).toEqual({ status: 200, body: { ...DEFAULT_FAULTS, throttleRate: 1 } });
  });

  it.each([
    ['{"failRate":2}', 'failRate: must be a number from 0 to 1, got 2'],
    ['{"down":"yes"}', 'down: must be true or false, got "yes"'],
    ['{"latencyMs":1.5}', 'latencyMs: must be a whole number of ms from 0 to 600000, got 1.5'],
    ['{"throttleRetryAfterSeconds":-1}', 'throttleRetryAfterSeconds: must be a whole number of seconds from 0 to 86400, got -1'],
    ['{"failrate":1}', `failrate: not a fault (the faults are ${FAULT_NAMES.join(', ')})`],
    ['{"down":true,"failRate":-0.5}', 'failRate: must be a number from 0 to 1, got -0.5'],
    ['{"failRate":null,"hang":1}', 'failRate: must be a number from 0 to 1, got null; hang: must be true or false, got 1'],
    ['[]', 'faults: must be a JSON object, got []'],
    ['', 'faults: must be a JSON object, got an empty body'],
  ])('answers 400 naming the field for %s, and changes nothing', async (body, error) => {
    for (const method of ['PUT', 'PATCH']) {
      expect(await json(await water.admin(method, '/faults', body))).toEqual({ status: 400, body: { error } });
    }
    expect(water.emulator.faults).toEqual(DEFAULT_FAULTS);
  });

  it('answers 400 for a body that is not JSON', async () => {
    expect(await json(await water.admin('PATCH', '/faults', 'down=true')))
      .toEqual({ status: 400, body: { error: expect.stringMatching(/^faults: must be JSON: /) } });
  });

  it('shows and resets the stats, and never counts its own calls or health checks', async () => {
    await water.tariffs();
    await water.tariffs({ headers: {} });
    await fetch(`${water.server.url}/healthz`);
    expect(await json(await water.admin('GET', '/stats'))).toEqual({ status: 200, body: { calls: 2, byOperation: { tariffs: 2 } } });
    expect(await json(await water.admin('POST', '/stats/reset'))).toEqual({ status: 200, body: { calls: 0, byOperation: {} } });
    expect(water.emulator.stats).toMatchObject({ calls: 0, byOperation: {} });
  });

  it('answers whatever the faults are: they apply to partner calls only', async () => {
    water.emulator.setFaults({ refuse: true, hang: true, down: true, latencyMs: 60_000 });
    expect((await water.admin('GET', '/faults')).status).toBe(200);
    expect((await water.admin('GET', '/stats')).status).toBe(200);
    expect((await fetch(`${water.server.url}/healthz`)).status).toBe(200);
    expect(await json(await water.admin('PUT', '/faults', '{}'))).toEqual({ status: 200, body: DEFAULT_FAULTS });
    expect(water.emulator.stats.calls).toBe(0);
  });

  it('ends held calls when a PATCH switches hang off', async () => {
    water.emulator.faults.hang = true;
    const held = once(water.emulator.held, 'hold');
    const pending = water.tariffs().then(() => null, (e: Error & { cause?: { code?: string } }) => e.cause?.code);
    await held;
    expect(await json(await water.admin('PATCH', '/faults', '{"hang":false}'))).toEqual({ status: 200, body: DEFAULT_FAULTS });
    expect(await pending).toBe('UND_ERR_SOCKET');
    expect(water.emulator.held.size).toBe(0);
  });

  it('answers 404 with the path for a route it does not have', async () => {
    expect(await json(await water.admin('DELETE', '/faults'))).toEqual({ status: 404, body: { error: 'no admin route DELETE /__admin/faults' } });
  });
});

describe('who may call the admin endpoint', () => {
  it.each([
    ['127.0.0.1', true], ['127.255.3.4', true], ['::1', true], ['::ffff:127.0.0.1', true], ['::FFFF:127.1.2.3', true],
    ['0:0:0:0:0:0:0:1', true], ['10.0.0.1', false], ['192.0.2.2', false], ['::ffff:10.0.0.1', false], ['128.0.0.1', false],
    ['fd00::2', false], ['::', false], ['1270.0.0.1', false], ['', false], [undefined, false],
  ])('%s is loopback: %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  // The app handles a request whose socket says it comes from another host (a real one cannot be
  // made from a test machine that may have no address but loopback).
  it('answers 403 to a caller that is not on loopback, and the partner API still answers it', async () => {
    const water = await startWater();
    try {
      expect(await requestFrom(water.emulator.app, '192.0.2.10', 'PATCH', '/__admin/faults', '{"down":true}'))
        .toEqual({ status: 403, body: '{"error":"the admin endpoint answers loopback callers only"}' });
      expect(water.emulator.faults.down).toBe(false);
      expect((await requestFrom(water.emulator.app, '192.0.2.10', 'GET', '/healthz')).status).toBe(200);
    } finally {
      await water.server.close();
    }
  });
});

/** Runs one request through an app as if it came from `address`, and collects the answer. */
function requestFrom(app: http.RequestListener, address: string, method: string, url: string, body = ''): Promise<{ status: number; body: string }> {
  const socket = new net.Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: address });
  const req = new http.IncomingMessage(socket);
  Object.assign(req, { method, url, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } });
  req.push(body);
  req.push(null);
  const res = new http.ServerResponse(req);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.write = ((chunk: string | Buffer) => { chunks.push(Buffer.from(chunk)); return true; }) as typeof res.write;
    res.end = ((chunk?: string | Buffer) => {
      if (chunk) chunks.push(Buffer.from(chunk));
      resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() });
      return res;
    }) as typeof res.end;
    app(req, res);
  });
}
