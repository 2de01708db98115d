/**
 * The conformance suite's time-zone runs: what an adapter answers in a process whose TZ is another
 * zone, from a child process (TZ only takes effect for a whole process). The child is
 * `partner-check --snapshot`: it reads a list of SnapshotJobs on stdin, answers with their
 * TimeZoneSnapshots on stdout. The CLI runs itself; tests run the TypeScript through test/helpers/ts-loader.mjs.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { fixedClock, systemClock } from '../platform/clock.js';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum } from '../domain/memorandum.js';
import type { AnyAdapterDefinition } from '../adapters/core/define-adapter.js';
import { loadAdapter } from '../adapters/registry.js';
import { dataSnapshot } from '../adapters/conformance/time-zones.js';
import type { TimeZoneSnapshot } from '../adapters/conformance/session.js';
import { EMULATORS } from '../emulators/registry.js';
import { startEmulatedPartner, type EmulatedPartner } from '../emulators/kit/emulated-partner.js';
import { createPopulation } from '../emulators/population/index.js';

export interface SnapshotJob {
  partner: string;
  taxIds: readonly string[];
  /** A live partner's base URL (credentials from the child's environment); its emulator when left out. */
  url?: string;
  /** The emulator's population and clock, as the parent's (same seed, size, month and time). */
  population?: { size: number; asOf?: string };
  now?: string;
  /** A module whose default export is the adapter to use instead of the registered one (tests' broken adapters). */
  adapterModule?: string;
  memorandum?: string;
}

/** Runs a job in this process (the child's side). */
export async function runSnapshotJob(job: SnapshotJob, env: NodeJS.ProcessEnv): Promise<TimeZoneSnapshot> {
  const memorandum = await loadMemorandum(job.memorandum ?? DEFAULT_MEMORANDUM_FILE);
  const entry = memorandum.partners.find((p) => p.id === job.partner);
  if (!entry) throw new Error(`no partner "${job.partner}" in the memorandum`);
  const adapter = job.adapterModule
    ? ((await import(pathToFileURL(job.adapterModule).href)) as { default: AnyAdapterDefinition }).default
    : await loadAdapter(entry.adapter);
  if (!adapter) throw new Error(`no adapter "${entry.adapter}"`);
  const clock = job.now ? fixedClock(job.now) : systemClock;
  let emulated: EmulatedPartner | undefined;
  if (!job.url) {
    const factory = EMULATORS[entry.id];
    if (!factory) throw new Error(`no emulator for "${entry.id}"`);
    emulated = await startEmulatedPartner({ entry, factory, population: createPopulation({ size: job.population?.size ?? 300, asOf: job.population?.asOf }), clock });
  }
  try {
    return await dataSnapshot({ entry, adapter, baseUrl: emulated?.url ?? job.url!, env: emulated?.env ?? env, taxIds: job.taxIds, clock });
  } finally {
    await emulated?.close();
  }
}

/**
 * Runs a job in a child process at `zone`: `command` starts `partner-check --snapshot` (e.g.
 * [node, dist/scripts/partner-check.js, --snapshot]). Rejects with the child's last lines when it fails.
 */
export async function snapshotInTimeZone(command: readonly string[], job: SnapshotJob, zone: string, env: NodeJS.ProcessEnv = process.env): Promise<TimeZoneSnapshot> {
  const [snapshot] = await snapshotsInTimeZone(command, [job], zone, env);
  return snapshot;
}

/** Several jobs in one child process at `zone` (one process start for many partners), in order. */
export function snapshotsInTimeZone(command: readonly string[], jobs: readonly SnapshotJob[], zone: string, env: NodeJS.ProcessEnv = process.env): Promise<TimeZoneSnapshot[]> {
  const [program, ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...env, TZ: zone }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the process at ${zone} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' / ')}`));
      try {
        resolve(JSON.parse(out) as TimeZoneSnapshot[]);
      } catch {
        reject(new Error(`the process at ${zone} answered with no snapshot`));
      }
    });
    child.stdin.end(JSON.stringify(jobs));
  });
}
