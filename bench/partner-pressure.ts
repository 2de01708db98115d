/**
 * `node dist/bench/partner-pressure.js`: what a desk sees when partners are slow or rushed, through
 * the whole embedded stack, as figures (the tests assert the behaviour, never these numbers).
 *
 * 1. Slow partners, as seen in production: heating, the cadastre and the vehicles registry answer
 *    each call after 1.5 s (plus up to 0.5 s of jitter). Every overview should still be answered
 *    within the answer budget plus 100 ms, with typed errors for what did not fit.
 * 2. Rush hour: 50 different citizens a second for PRESSURE_SECONDS (5) against the water utility,
 *    which allows 20 calls a second and answers 429 beyond. Counts each answer's water outcome,
 *    the 429s the utility answered and the state of its circuit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTrail, trailOptionsFromEnv } from '../audit/index.js';
import { createLogger } from '../platform/logger.js';
import { loadQuery } from '../docs/queries/index.js';
import { startStack } from '../stack/start-stack.js';

const SLOW_RUNS = Number(process.env.SLOW_RUNS ?? 10);
const SECONDS = Number(process.env.PRESSURE_SECONDS ?? 5);
const PER_SECOND = 50;
const BUDGET_MS = Number(process.env.ANSWER_BUDGET_MS ?? 2500);

let throttled = 0;
const circuitChanges: string[] = [];
const destination = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { partner?: string; status?: number; msg?: string; circuit?: string };
      if (entry.partner === 'water-kryvyi-rih' && entry.status === 429) throttled += 1;
      if (entry.partner === 'water-kryvyi-rih' && entry.msg === 'circuit breaker changed state') circuitChanges.push(entry.circuit ?? '?');
    }
    done();
  },
});

const trailDir = mkdtempSync(path.join(tmpdir(), 'vikno-pressure-trail-'));
const trail = await openTrail({
  ...trailOptionsFromEnv(process.env), dataDir: path.join(trailDir, 'trail'), checkpointDir: path.join(trailDir, 'checkpoints'),
  ...(process.env.DATABASE_URL ? { table: 'bench.pressure_trail' } : {}),
});
const stack = await startStack({
  log: createLogger({ level: 'info', destination }), populationSize: 10_000, trail, answerBudgetMs: BUDGET_MS,
  lookupLimits: { staff: { people: 100_000, windowSeconds: 600 }, citizen: { people: 1, windowSeconds: 60 } },
});
const headers = {
  'content-type': 'application/json', 'x-purpose': 'benchmark', authorization: `Bearer ${await stack.devIssuer!.issue({ kind: 'staff' })}`,
};
const ask = async (query: string, taxId: string) => {
  const started = performance.now();
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables: { taxId } }) });
  const body = (await response.json()) as { data?: { citizen?: Record<string, unknown> | null } | null; errors?: Array<{ message: string; extensions?: { code?: string; partner?: string } }> };
  return { body, ms: performance.now() - started };
};
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))];

try {
  const overview = loadQuery('overview');
  await ask(overview, '2660404572'); // warm up: tariffs cached, connections open

  // 1. Slow partners.
  for (const id of ['heating-kryvyi-rih', 'cadastre-dzk', 'vehicles-mvs']) stack.emulators.get(id)!.emulator.setFaults({ latencyMs: 1500, jitterMs: 500 });
  const times: number[] = [];
  const errors = new Map<string, number>();
  const citizens = stack.population.citizens.slice(10, 10 + SLOW_RUNS).map((c) => c.taxId); // new citizens: nothing cached
  for (const taxId of citizens) {
    const { body, ms } = await ask(overview, taxId);
    times.push(ms);
    for (const e of body.errors ?? []) errors.set(`${e.extensions?.partner ?? '-'} ${e.extensions?.code}: ${e.message}`, (errors.get(`${e.extensions?.partner ?? '-'} ${e.extensions?.code}: ${e.message}`) ?? 0) + 1);
  }
  for (const id of ['heating-kryvyi-rih', 'cadastre-dzk', 'vehicles-mvs']) stack.emulators.get(id)!.emulator.setFaults({ latencyMs: 0, jitterMs: 0 });
  console.log(`1. Slow partners (heating, cadastre, vehicles: 1.5 s a call + up to 0.5 s), ${SLOW_RUNS} overviews of new citizens, budget ${BUDGET_MS} ms:`);
  console.log(`   answer time: median ${quantile(times, 0.5).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`);
  for (const [error, n] of errors) console.log(`   ${String(n).padStart(3)} × ${error}`);

  // 2. Rush hour at the water utility.
  const query = 'query ($taxId: ID!) { citizen(taxId: $taxId) { waterAccounts { accountNumber } } }';
  const rush = stack.population.citizens.slice(100, 100 + PER_SECOND * SECONDS).map((c) => c.taxId);
  const outcomes = new Map<string, number>();
  const rushTimes: number[] = [];
  const started = performance.now();
  await Promise.all(rush.map((taxId, i) => new Promise<void>((resolve) => {
    setTimeout(async () => {
      const { body, ms } = await ask(query, taxId);
      rushTimes.push(ms);
      const water = body.data?.citizen?.waterAccounts;
      const error = body.errors?.find((e) => e.extensions?.partner === 'water-kryvyi-rih');
      const kind = Array.isArray(water) ? 'water data' : error ? `${error.extensions?.code}: ${error.message}` : `missing: ${JSON.stringify(body).slice(0, 120)}`;
      outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
      resolve();
    }, (i * 1000) / PER_SECOND);
  })));
  const { calls } = stack.emulators.get('water-kryvyi-rih')!.emulator.stats;
  console.log(`\n2. Rush: ${rush.length} different citizens over ${SECONDS} s (${PER_SECOND} a second) against water's 20 calls a second:`);
  for (const [kind, n] of outcomes) console.log(`   ${String(n).padStart(4)} × ${kind}`);
  console.log(`   answer time: median ${quantile(rushTimes, 0.5).toFixed(0)} ms, p95 ${quantile(rushTimes, 0.95).toFixed(0)} ms, max ${Math.max(...rushTimes).toFixed(0)} ms`);
  console.log(`   water calls: ${calls} in ${((performance.now() - started) / 1000).toFixed(1)} s; answered 429: ${throttled}; circuit changes: ${circuitChanges.join(', ') || 'none'}`);
} finally {
  await stack.stop();
  await trail.close();
  rmSync(trailDir, { recursive: true, force: true });
}
