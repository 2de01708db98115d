import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';

/**
 * Services started as compose starts them, one `node dist/…/main.js` process each, from the
 * project root. What a process prints is kept (for the failure message) and, like every test
 * stack's log, appended to the suite's log folder for the check that no log holds personal data.
 */

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** http://127.0.0.1:<port>, read from the line the service prints when it listens. */
  url: string;
  port: number;
  output: string[];
}

const LISTENING = /listening/;
const URL_IN_LINE = /(https?:\/\/127\.0\.0\.1:(\d+))/;

function suiteLog(line: string): void {
  const dir = process.env.VIKNO_TEST_LOG_DIR;
  if (dir) appendFileSync(path.join(dir, `${process.pid}-topology.log`), `${line}\n`);
}

/** Runs `command` (["node", "dist/…/main.js"]) with exactly `env`; resolves once it listens. */
export function startService(name: string, command: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ServiceProcess> {
  const [program, ...args] = command;
  if (program !== 'node') throw new Error(`${name}: expected a node command, got ${command.join(' ')}`);
  const child = spawn(process.execPath, args, { cwd: projectRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} ${message}:\n${output.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    const onLine = (line: string) => {
      output.push(line);
      suiteLog(line);
      const found = LISTENING.test(line) ? URL_IN_LINE.exec(line) : null;
      if (found && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ name, child, url: found[1], port: Number(found[2]), output });
      }
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        lines.forEach(onLine);
      });
    }
    child.on('error', (error) => fail(`could not start (${error.message})`));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code}) before it listened`));
  });
}

/** SIGTERM, as `docker compose stop` sends; SIGKILL after `graceMs`. Resolves when it has exited. */
export function stopService(service: Pick<ServiceProcess, 'child'>, graceMs = 10_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Runs a compose healthcheck's `CMD node -e …` against a running service; resolves to its exit code. */
export function runHealthcheck(test: readonly string[], port: number): Promise<number | null> {
  const [kind, program, ...args] = test;
  if (kind !== 'CMD' || program !== 'node') throw new Error(`not a node healthcheck: ${test.join(' ')}`);
  const child = spawn(process.execPath, args, { env: { PORT: String(port) }, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}

/**
 * HAProxy with deploy/haproxy.cfg as compose mounts it, its servers pointed at running gateways and
 * each `bind :N` at a free loopback port (`binds`: N → port). Resolves once it says it loaded.
 */
export function startHaproxy(configText: string, file: string, timeoutMs = 20_000): Promise<Pick<ServiceProcess, 'child' | 'output'>> {
  writeFileSync(file, configText);
  const child = spawn('haproxy', ['-W', '-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`haproxy did not load:\n${output.join('')}`)); }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output.push(String(chunk));
      if (output.join('').includes('Loading success.')) { clearTimeout(timer); resolve({ child, output }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`haproxy exited (${code}):\n${output.join('')}`)); });
  });
}

/** A port nothing listens on now, on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
