import net from 'node:net';
import { EventEmitter } from 'node:events';

/**
 * A TCP proxy in front of a real server (PostgreSQL, Redis) that tests can make misbehave, so
 * outages are simulated without touching the server other tests use:
 * - `pause()`: a server that hangs — connections stay open, nothing is forwarded either way
 *   (new connections are accepted and held too) until `resume()`;
 * - `drop()`: a crash — every open connection is reset at once;
 * - `refuse()`: a server that is gone — each new connection is reset as soon as it is made;
 * - `resume()`: normal again; what `pause()` held is forwarded in order.
 * Emits 'held' each time a chunk is held by a pause (to wait for work caught in it, without sleeping).
 */
export interface TcpProxy extends EventEmitter {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string;
  /** Chunks held by the current pause, both ways. */
  held(): number;
  /** Connections open now. */
  connections(): number;
  pause(): void;
  drop(): void;
  refuse(): void;
  resume(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'normal' | 'paused' | 'refusing' = 'normal';
  const pairs = new Set<Pair>();
  let queue: Array<{ to: net.Socket; chunk: Buffer }> = [];
  const proxy = new EventEmitter() as TcpProxy;

  const forward = (from: net.Socket, to: net.Socket) => from.on('data', (chunk: Buffer) => {
    if (mode === 'paused') {
      queue.push({ to, chunk });
      proxy.emit('held', queue.length);
    } else if (!to.destroyed) {
      to.write(chunk);
    }
  });

  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    if (mode === 'refusing') return void client.resetAndDestroy();
    const upstream = net.connect(target.port, target.host);
    upstream.on('error', () => undefined);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  const resetAll = () => {
    for (const { client, upstream } of pairs) {
      if (!client.destroyed) client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
    queue = [];
  };

  return Object.assign(proxy, {
    port,
    url(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    held: () => queue.length,
    connections: () => pairs.size,
    pause() { mode = 'paused'; },
    drop: resetAll,
    refuse() { mode = 'refusing'; },
    resume() {
      mode = 'normal';
      const waiting = queue;
      queue = [];
      for (const { to, chunk } of waiting) if (!to.destroyed) to.write(chunk);
    },
    async close() {
      resetAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
