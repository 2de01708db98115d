import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP proxy in front of a partner (its emulator or a live system) that injects faults, so
 * the conformance suite can exercise any adapter's error mapping whatever the partner's dialect.
 * The mode is switched between checks; every request received is counted.
 */
export type FaultMode =
  /** Forwards every call, after `delayMs` when given (so calls overlap and the ones in flight can be counted). */
  | { kind: 'pass'; delayMs?: number }
  /** Answers every call itself with this status (500, 503 …). */
  | { kind: 'status'; status: number }
  /** Answers 429 with a Retry-After that has already passed, so a retrying client retries at once. */
  | { kind: 'throttle' }
  /** Accepts every call and never answers; the client must give up on its own deadline. */
  | { kind: 'hang' }
  /** Forwards, then answers 200 with bytes that are no valid payload in any dialect. */
  | { kind: 'garbage' }
  /** Answers 500 to calls whose URL or body holds `key`; forwards the rest. */
  | { kind: 'failKey'; key: string }
  /** Answers the first call 429 with `Retry-After: <seconds>` (a time still to come), then forwards. */
  | { kind: 'throttleOnce'; retryAfterSeconds: number }
  /** Resets the connection of every call, with no HTTP answer. */
  | { kind: 'reset' }
  /**
   * Forwards, then changes one character inside the longest base64 run of the answer (an extract's
   * document), or one byte of a binary answer: the document no longer has its stated SHA-256.
   */
  | { kind: 'tamper' };

/** One call the proxy received. */
export interface ProxiedRequest {
  /** performance.now() when it arrived. */
  at: number;
  method: string;
  /** Which of the watched keys (tax ids) the URL or the body holds. */
  keys: string[];
}

export interface FaultProxy {
  /** The base URL an adapter is pointed at: the proxy's origin plus the target's path. */
  url: string;
  setMode(mode: FaultMode): void;
  /** Requests received since the proxy started, whatever the mode. */
  readonly requests: number;
  /** Every request received since the last resetLog(), in order. */
  readonly log: readonly ProxiedRequest[];
  /** The most calls open at once since the last resetLog(). */
  readonly maxInFlight: number;
  resetLog(): void;
  /** The keys (tax ids) whose presence in a request is recorded in its log entry. */
  watch(keys: readonly string[]): void;
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

const BASE64_RUN = /[A-Za-z0-9+/]{64,}={0,2}/g;

/** The body with its document changed: one base64 character in its longest run, or one byte of a binary body. */
export function tampered(body: Buffer, contentType: string): Buffer {
  const textual = /json|xml|text|csv|javascript|form/i.test(contentType) || contentType === '';
  if (!textual) {
    if (body.length === 0) return body;
    const copy = Buffer.from(body);
    copy[Math.floor(copy.length / 2)] ^= 0x01;
    return copy;
  }
  const text = body.toString('latin1');
  let longest: { index: number; length: number } | null = null;
  for (const match of text.matchAll(BASE64_RUN)) {
    if (!longest || match[0].length > longest.length) longest = { index: match.index, length: match[0].length };
  }
  if (!longest) return body;
  const at = longest.index + Math.floor(longest.length / 2) - (Math.floor(longest.length / 2) % 4);
  const swapped = text[at] === 'A' ? 'B' : 'A';
  return Buffer.from(`${text.slice(0, at)}${swapped}${text.slice(at + 1)}`, 'latin1');
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
  let log: ProxiedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let watched: readonly string[] = [];
  let throttled = false;

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
    const entry: ProxiedRequest = { at: performance.now(), method: req.method ?? 'GET', keys: [] };
    log.push(entry);
    if (current.kind === 'hang') {
      // Never answer: the client gives up on its own deadline and closes the socket; close() drops the rest.
      req.resume();
      return;
    }
    const body = await readBody(req);
    const text = `${decodeURIComponent(req.url ?? '')} ${body.toString('latin1')}`;
    entry.keys = watched.filter((key) => text.includes(key));
    if (current.kind === 'reset') return void req.socket.destroy();
    if (current.kind === 'throttleOnce' && !throttled) {
      throttled = true;
      return answer(res, 429, 'Too Many Requests', { 'content-type': 'text/plain', 'retry-after': String(current.retryAfterSeconds) });
    }
    if (current.kind === 'pass' && current.delayMs) await new Promise((resolve) => setTimeout(resolve, current.delayMs));
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
    if (current.kind === 'tamper') {
      return answer(res, upstream.status, tampered(upstream.body, String(upstream.headers['content-type'] ?? '')), strip(upstream.headers, ['content-encoding', 'etag', 'content-md5']));
    }
    answer(res, upstream.status, upstream.body, strip(upstream.headers));
  }

  const server = http.createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let open = true;
    const done = () => { if (open) { open = false; inFlight -= 1; } };
    res.on('close', done);
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
      throttled = false;
    },
    get requests() {
      return requests;
    },
    get log() {
      return log;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    resetLog() {
      log = [];
      maxInFlight = inFlight;
    },
    watch(keys) {
      watched = [...keys];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
