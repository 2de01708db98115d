/**
 * One replica's appends for `npm run bench` with DATABASE_URL: this process opens the access trail
 * as a gateway does (openTrail from the environment: DATABASE_URL, TRAIL_KEY, TRAIL_SEAL_KEY,
 * TRAIL_CHECKPOINT_DIR, TRAIL_REPLICA_ID) and appends one look-up per call for BENCH_SECONDS, in
 * one of two ways (BENCH_TRAIL_MODE):
 *
 * - `closed` (the default): BENCH_DESKS desks at once, each awaiting its append before the next (as
 *   a look-up awaits its record before asking the partners). This finds the highest rate sustained,
 *   but its latencies are desks / rate by construction (Little's law), so they say more about the
 *   number of desks than about the trail.
 * - `open`: BENCH_RATE appends a second on a fixed timetable, each started at its time whether or
 *   not the ones before it are done (arrivals do not wait for each other, as at a country's desks);
 *   each latency is measured from the scheduled time, so time spent queueing behind a slow group
 *   counts, and a trail that falls behind shows it in every later latency.
 *
 * It prints one JSON line: appends, seconds, this process's CPU time (user + system), its
 * percentiles, and every latency (ms, to 0.01) so the parent can pool both replicas' figures.
 */
import { openTrail, trailOptionsFromEnv } from '../audit/index.js';
import type { TrailEntry } from '../audit/record.js';

const mode = process.env.BENCH_TRAIL_MODE ?? 'closed';
const desks = Number(process.env.BENCH_DESKS ?? 50);
const rate = Number(process.env.BENCH_RATE ?? 1500);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
if (mode !== 'closed' && mode !== 'open') throw new TypeError(`BENCH_TRAIL_MODE: expected closed or open, got ${mode}`);
const trail = await openTrail(trailOptionsFromEnv(process.env));

const entryOf = (seq: number): TrailEntry => ({
  actor: { kind: 'staff', staffId: `s-${seq % 40}`, centre: 'cnap-kryvyi-rih' },
  subject: String(2_000_000_000 + (seq % 100_000)), institution: 'ЦНАП м. Кривий Ріг',
  official: 'Оксана Петренко', purpose: `талон А-${seq % 1000}`, operation: 'Overview',
  domains: ['gas', 'heating', 'water', 'electricity', 'cadastre', 'vehicles'],
  partners: [],
  outcome: 'ANSWERED',
});

/** `desks` loops, each appending and awaiting its record before the next. */
async function closedLoop(until: number, latencies: number[]): Promise<void> {
  let seq = 0;
  await Promise.all(Array.from({ length: desks }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await trail.append(entryOf(seq++));
      latencies.push(performance.now() - t);
    }
  }));
}

/**
 * Arrival n is due at started + n / rate. Every tick starts each arrival now due, without waiting for
 * any append; the latency of each runs from its due time, not from when the tick got to it.
 */
async function openLoop(started: number, until: number, latencies: number[]): Promise<void> {
  const total = Math.floor(((until - started) / 1000) * rate);
  const inFlight: Array<Promise<void>> = [];
  let next = 0;
  const due = (n: number) => started + (n * 1000) / rate;
  while (next < total) {
    const now = performance.now();
    for (; next < total && due(next) <= now; next++) {
      const scheduled = due(next);
      inFlight.push(trail.append(entryOf(next)).then(() => { latencies.push(performance.now() - scheduled); }));
    }
    // A timer, not a busy loop: the appends' own work needs this thread. Lateness of the timer
    // delays an arrival's start, which its latency (from the due time) includes.
    if (next < total) await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(5, due(next) - performance.now()))));
  }
  await Promise.all(inFlight);
}

// Ready: the parent starts every replica's clock at once.
console.log('ready');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const latencies: number[] = [];
const cpu = process.cpuUsage();
const started = performance.now();
const until = started + seconds * 1000;
if (mode === 'closed') await closedLoop(until, latencies);
else await openLoop(started, until, latencies);
const elapsed = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))];
console.log(JSON.stringify({
  appends: latencies.length, seconds: elapsed, cpuMs: (used.user + used.system) / 1000, p50: at(0.5), p99: at(0.99), max: latencies.at(-1),
  latencies: latencies.map((l) => Math.round(l * 100) / 100) }));
await trail.close();
