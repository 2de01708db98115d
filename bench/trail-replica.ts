/**
 * One replica's appends for `npm run bench` with DATABASE_URL: this process opens the access trail
 * as a gateway does (openTrail from the environment: DATABASE_URL, TRAIL_KEY, TRAIL_SEAL_KEY,
 * TRAIL_CHECKPOINT_DIR, TRAIL_REPLICA_ID) and appends one look-up per call from BENCH_DESKS desks
 * at once for BENCH_SECONDS, each desk awaiting its append before the next (as a look-up awaits its
 * record before asking the partners). It prints one JSON line: appends, seconds, latencies.
 */
import { openTrail, trailOptionsFromEnv } from '../audit/index.js';
import type { TrailEntry } from '../audit/record.js';

const desks = Number(process.env.BENCH_DESKS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const trail = await openTrail(trailOptionsFromEnv(process.env));

const entryOf = (seq: number): TrailEntry => ({
  actor: { kind: 'staff', staffId: `s-${seq % 40}`, centre: 'cnap-kryvyi-rih' },
  subject: String(2_000_000_000 + (seq % 100_000)), institution: 'ЦНАП м. Кривий Ріг',
  official: 'Оксана Петренко', purpose: `талон А-${seq % 1000}`, operation: 'Overview',
  domains: ['gas', 'heating', 'water', 'electricity', 'cadastre', 'vehicles'],
  partners: [],
  outcome: 'ANSWERED',
});

// Ready: the parent starts every replica's clock at once.
console.log('ready');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const latencies: number[] = [];
const until = performance.now() + seconds * 1000;
const started = performance.now();
let seq = 0;
await Promise.all(Array.from({ length: desks }, async () => {
  while (performance.now() < until) {
    const t = performance.now();
    await trail.append(entryOf(seq++));
    latencies.push(performance.now() - t);
  }
}));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))];
console.log(JSON.stringify({ appends: latencies.length, seconds: elapsed, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) }));
await trail.close();
