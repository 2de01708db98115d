import http from 'node:http';
import { listen, type RunningServer } from '../../platform/serve.js';

/**
 * Closing a server drains it: no new connections, requests in flight answered in full, idle
 * keep-alive connections closed, and only what is still open after the drain time cut.
 */

/** A handler that answers each request when the test opens its gate. */
function gatedHandler() {
  const gates: Array<() => void> = [];
  const arrived: Array<() => void> = [];
  const handler: http.RequestListener = (req, res) => {
    gates.push(() => res.end(`answered ${req.url}`));
    arrived.shift()?.();
  };
  return {
    handler,
    /** Resolves once `count` requests are waiting at the gate. */
    waiting: (count: number) => new Promise<void>((resolve) => {
      const check = () => (gates.length >= count ? resolve() : arrived.push(check));
      check();
    }),
    openAll: () => gates.splice(0).forEach((open) => open()),
  };
}

/** A GET over a kept-alive connection, as a client sees it: status and body, or the socket error. */
function get(url: string, agent?: http.Agent): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => { body += chunk; }).on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

describe('listen(): close() drains', () => {
  let server: RunningServer | undefined;
  afterEach(async () => { await server?.close(); });

  it('answers every request in flight in full before it resolves, and refuses new connections meanwhile', async () => {
    const gate = gatedHandler();
    server = await listen(gate.handler);
    const inFlight = [get(`${server.url}/a`), get(`${server.url}/b`), get(`${server.url}/c`)];
    await gate.waiting(3);
    let closed = false;
    const closing = server.close().then(() => { closed = true; });
    expect(await get(`${server.url}/late`)).toEqual({ error: 'ECONNREFUSED' });
    expect([closed, server.inFlight()]).toEqual([false, 3]);
    gate.openAll();
    expect(await Promise.all(inFlight)).toEqual([
      { status: 200, body: 'answered /a' }, { status: 200, body: 'answered /b' }, { status: 200, body: 'answered /c' },
    ]);
    await closing;
    expect(closed).toBe(true);
  });

  it('is not held up by idle kept-alive connections', async () => {
    server = await listen((_req, res) => res.end('ok'));
    const agent = new http.Agent({ keepAlive: true });
    expect(await get(server.url, agent)).toEqual({ status: 200, body: 'ok' });
    // The connection stays open (keep-alive) with nothing in flight: closing does not wait for its 5 s timeout.
    await server.close();
    expect(server.inFlight()).toBe(0);
    agent.destroy();
  });

  it('cuts what is still in flight when the drain time runs out', async () => {
    const gate = gatedHandler();
    server = await listen(gate.handler, { drainMs: 100 });
    const stuck = get(`${server.url}/never`);
    await gate.waiting(1);
    await server.close();
    expect(server.inFlight()).toBe(0);
    expect(await stuck).toEqual({ error: 'ECONNRESET' });
  });

  it('returns the same promise when called again', async () => {
    server = await listen((_req, res) => res.end('ok'));
    expect(server.close()).toBe(server.close());
    await server.close();
  });
});
