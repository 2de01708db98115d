import http from 'node:http';
import { listen, type RunningServer } from '../../emulators/kit/serve.js';
import { GARBAGE, startFaultProxy, type FaultProxy } from '../../adapters/conformance/fault-proxy.js';

/** A target that echoes what it received, as JSON with a header of its own. */
const echo: http.RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json', 'x-partner': 'yes' });
    res.end(JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization ?? null, body: Buffer.concat(chunks).toString() }));
  });
};

let target: RunningServer;
let proxy: FaultProxy;

beforeEach(async () => {
  target = await listen(echo);
  proxy = await startFaultProxy(`${target.url}/api`);
});

afterEach(async () => {
  await proxy.close();
  await target.close();
});

const post = (path: string, body: string, signal?: AbortSignal) =>
  fetch(`${proxy.url}${path}`, { method: 'POST', body, headers: { authorization: 'Bearer t' }, signal });

async function answer(response: Response) {
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}

describe('fault proxy', () => {
  it('forwards method, path, headers and body, and copies status, headers and body back', async () => {
    expect(proxy.url).toBe(`${proxy.url.split('/api')[0]}/api`);
    const response = await post('/v1/things?x=1', '{"a":1}');
    expect(response.status).toBe(201);
    expect(response.headers.get('x-partner')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', url: '/api/v1/things?x=1', auth: 'Bearer t', body: '{"a":1}' });
  });

  it('answers an injected status itself', async () => {
    proxy.setMode({ kind: 'status', status: 503 });
    expect((await post('/v1/things', '')).status).toBe(503);
  });

  it('throttles with a Retry-After date that has passed', async () => {
    proxy.setMode({ kind: 'throttle' });
    const response = await post('/v1/things', '');
    expect(response.status).toBe(429);
    expect(Date.parse(response.headers.get('retry-after')!)).toBeLessThan(Date.now());
  });

  it('replaces the body with garbage, keeping status 200 and the content type', async () => {
    proxy.setMode({ kind: 'garbage' });
    expect(await answer(await post('/v1/things', ''))).toEqual({ status: 200, type: 'application/json', body: GARBAGE });
  });

  it('fails only the calls whose URL or body holds the key', async () => {
    proxy.setMode({ kind: 'failKey', key: '3111901220' });
    const statuses = await Promise.all([
      post('/v1/things?taxId=3111901220', ''), post('/v1/things', '{"taxIds":["3111901220"]}'), post('/v1/things', '{"taxIds":["2660404572"]}'),
    ].map(async (r) => (await r).status));
    expect(statuses).toEqual([500, 500, 201]);
  });

  it('never answers while hanging, until the client gives up', async () => {
    proxy.setMode({ kind: 'hang' });
    const error = await post('/v1/things', '', AbortSignal.timeout(100)).catch((e: Error) => e.name);
    expect(error).toBe('TimeoutError');
  });

  it('counts every request it receives, whatever the mode', async () => {
    await post('/v1/things', '');
    proxy.setMode({ kind: 'status', status: 500 });
    await post('/v1/things', '');
    expect(proxy.requests).toBe(2);
  });

  it('answers the first call 429 with a Retry-After still to come, then forwards', async () => {
    proxy.setMode({ kind: 'throttleOnce', retryAfterSeconds: 1 });
    const first = await post('/v1/things', '');
    const second = await post('/v1/things', '');
    expect([first.status, first.headers.get('retry-after'), second.status]).toEqual([429, '1', 201]);
  });

  it('resets the connection with no HTTP answer', async () => {
    proxy.setMode({ kind: 'reset' });
    await expect(post('/v1/things', '')).rejects.toThrow('fetch failed');
  });

  it("changes one character of the answer's longest base64 run", async () => {
    proxy.setMode({ kind: 'tamper' });
    const document = Buffer.from('Витяг з реєстру: '.repeat(20)).toString('base64');
    const { body } = (await (await post('/v1/extract', JSON.stringify({ document, short: 'QUJD' }))).json()) as { body: string };
    const sent = JSON.parse(body) as { document: string; short: string };
    const changed = [...sent.document].filter((c, i) => c !== document[i]).length;
    expect([sent.document.length, changed, sent.short]).toEqual([document.length, 1, 'QUJD']);
  });

  it('records the watched tax ids each call carries, and the most calls open at once', async () => {
    proxy.watch(['3111901220', '2660404572']);
    proxy.setMode({ kind: 'pass', delayMs: 50 });
    proxy.resetLog();
    await Promise.all([post('/v1/a?taxId=3111901220', ''), post('/v1/b', '3111901220,2660404572'), post('/v1/c', '')]);
    expect(proxy.log.map((r) => r.keys).sort((a, b) => a.length - b.length)).toEqual([[], ['3111901220'], ['3111901220', '2660404572']]);
    expect(proxy.maxInFlight).toBe(3);
  });
});
