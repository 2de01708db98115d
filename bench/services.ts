/**
 * The benchmark's processes: each service a `node dist/…/main.js` child listening on a free
 * loopback port (PORT=0; its URL read from the line it prints when it listens), and what the
 * kernel accounts to it: CPU time (utime + stime of /proc/<pid>/stat) and resident memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { projectRoot } from '../domain/project-root.js';

export interface Service {
  name: string;
  child: ChildProcess;
  pid: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** The last lines it printed (for an error message). */
  output: string[];
}

const URL_IN_LINE = /(https?:\/\/127\.0\.0\.1:\d+)/;
/** Linux's USER_HZ: /proc accounts CPU in ticks of 10 ms. */
const TICK_MS = 10;

export function startService(name: string, script: string, env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 120_000): Promise<Service> {
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd: projectRoot(), env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
      if (output.length > 50) output.shift();
      const found = /listening|is up/.test(line) ? URL_IN_LINE.exec(line) : null;
      if (found && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ name, child, pid: child.pid!, url: found[1], output });
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

export function stopService(service: Service, graceMs = 15_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** CPU time (user + system) the process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Where a process's CPU time went, in ms: its main (JavaScript) thread and its other threads (V8's GC and compiler helpers, libuv's pool), user and system. */
export interface CpuSplit { mainUser: number; mainSystem: number; otherUser: number; otherSystem: number }

export function cpuSplit(pid: number): CpuSplit {
  const split: CpuSplit = { mainUser: 0, mainSystem: 0, otherUser: 0, otherSystem: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [user, system] = [Number(fields[11]) * TICK_MS, Number(fields[12]) * TICK_MS];
    if (Number(tid) === pid) Object.assign(split, { mainUser: user, mainSystem: system });
    else { split.otherUser += user; split.otherSystem += system; }
  }
  return split;
}

/** Resident set size, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
