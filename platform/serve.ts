import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener, ServerResponse } from 'node:http';

/** How long `close()` waits for the requests in flight by default (SHUTDOWN_DRAIN_MS in the main.ts files). */
export const DEFAULT_DRAIN_MS = 10_000;

export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** How long `close()` lets requests in flight finish before it cuts their connections (default 10 s). */
  drainMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Requests being answered now. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets every request in flight finish (up to the drain time, then
   * cuts what is left) and resolves once every connection is closed. Calling it again returns the
   * same promise.
   */
  close(): Promise<void>;
}

/**
 * Listens on host:port and reports the bound URL. Closing drains: `closeAllConnections()` at once
 * would drop requests in flight, each client getting an empty reply, so idle keep-alive connections
 * are closed, answers given during the drain say `connection: close`, and only what is still open
 * when the drain time runs out is cut.
 */
export async function listen(handler: RequestListener, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  const active = new Set<ServerResponse>();
  let draining = false;
  let onDrained: (() => void) | undefined;

  const server = http.createServer((req, res) => {
    active.add(res);
    // A request that came on a kept-alive connection during the drain is answered, and its connection then ends.
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      active.delete(res);
      if (!draining) return;
      // The connection that carried this answer may be idle now: end it rather than keep it alive.
      setImmediate(() => server.closeIdleConnections());
      if (active.size === 0) onDrained?.();
    });
    handler(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const drainAndClose = async () => {
    draining = true;
    const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      onDrained = resolve;
      if (active.size === 0) resolve();
      timer = setTimeout(resolve, drainMs);
    });
    clearTimeout(timer);
    // Past the drain time, or connections kept alive with nothing in flight: cut them.
    server.closeAllConnections();
    await closed;
    // A cut request's 'close' comes a little after its connection's: resolve once every request is over.
    if (active.size > 0) await new Promise<void>((resolve) => { onDrained = resolve; });
  };

  return {
    url: `http://${host}:${port}`,
    port,
    inFlight: () => active.size,
    close: () => (closing ??= drainAndClose()),
  };
}
