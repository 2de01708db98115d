import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP proxy in front of a partner (its emulator or a live system) that injects faults, so
 * the conformance suite can exercise any adapter's error mapping whatever the partner's dialect.
 * The mode is switched between checks; every request received is counted.
 */
export type FaultMode =
  | { kind: 'pass' }
  /** Answers every call itself with this status (500, 503 …). */
  | { kind: 'status'; status: number }
  /** Answers 429 with a Retry-After that has already passed, so a retrying client retries at once. */
  | { kind: 'throttle' }
  /** Accepts every call and never answers; the client must give up on its own deadline. */
  | { kind: 'hang' }
  /** Forwards, then answers 200 with bytes that are no valid payload in any dialect. */
  | { kind: 'garbage' }
  /** Answers 500 to calls whose URL or body holds `key`; forwards the rest. */
  | { kind: 'failKey'; key: string };

export interface FaultProxy {
  /** The base URL an adapter is pointed at: the proxy's origin plus the target's path. */
  url: string;
  setMode(mode: FaultMode): void;
  /** Requests received since the proxy started, whatever the mode. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Not JSON, not XML, not form data, not UTF-8 text. */
export const GARBAGE = Buffer.from([0x00, 0xff, 0xfe, 0x3c, 0x7b, 0x5b, 0x00, 0x9f, 0x92, 0x96, 0x7d, 0x3e, 0x00]);

// A Retry-After date in the past: got reads `Retry-After: 0` as no header and backs off about a second.
const PAST = new Date(0).toUTCString();
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length'];

function strip(headers: IncomingHttpHeaders, extra: readonly string[] = []): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of [...HOP_BY_HOP, ...extra]) delete copy[name];
  return copy;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: Buffer | string, headers: IncomingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startFaultProxy(targetBaseUrl: string): Promise<FaultProxy> {
  const target = new URL(targetBaseUrl);
  const client = target.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true });
  let mode: FaultMode = { kind: 'pass' };
  let requests = 0;

  function forward(req: IncomingMessage, body: Buffer): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const upstream = client.request(new URL(req.url ?? '/', target.origin), {
        method: req.method,
        headers: { ...strip(req.headers), host: target.host, 'content-length': String(body.length) },
        agent,
      }, (response) => {
        readBody(response).then((bytes) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: bytes }), reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests += 1;
    const current = mode;
    if (current.kind === 'hang') {
      // Never answer: the client gives up on its own deadline and closes the socket; close() drops the rest.
      req.resume();
      return;
    }
    const body = await readBody(req);
    if (current.kind === 'status') return answer(res, current.status, 'Service failure injected by the conformance suite', { 'content-type': 'text/plain' });
    if (current.kind === 'throttle') {
      return answer(res, 429, 'Too Many Requests', { 'content-type': 'text/plain', 'retry-after': PAST });
    }
    if (current.kind === 'failKey' && ((req.url ?? '').includes(current.key) || body.includes(current.key))) {
      return answer(res, 500, 'Internal Server Error', { 'content-type': 'text/plain' });
    }
    let upstream: Upstream;
    try {
      upstream = await forward(req, body);
    } catch {
      return answer(res, 502, 'Bad Gateway: the target cannot be reached', { 'content-type': 'text/plain' });
    }
    if (current.kind === 'garbage') {
      return answer(res, 200, GARBAGE, strip(upstream.headers, ['content-encoding', 'etag', 'content-md5']));
    }
    answer(res, upstream.status, upstream.body, strip(upstream.headers));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => answer(res, 502, 'Bad Gateway', { 'content-type': 'text/plain' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${target.pathname === '/' ? '' : target.pathname}`,
    setMode(next) {
      mode = next;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
