/**
 * `npm run bench`: measures the overview query through the whole embedded stack.
 *
 * Each emulated partner gets its own added latency per call. The script measures, in the same run:
 * each domain field alone (that partner's own chain of calls), the full overview, and the calls
 * each partner received per overview. If the partners are asked in parallel, the overview costs
 * about the slowest chain, not the sum of all six.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTrail, trailOptionsFromEnv } from '../audit/index.js';
import { createLogger } from '../platform/logger.js';
import { loadQuery } from '../docs/queries/index.js';
import { startStack } from '../stack/start-stack.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const LATENCY_MS: Record<string, number> = {
  'gas-kryvyi-rih': 120, 'gas-vinnytsia': 100, 'heating-kryvyi-rih': 70, 'water-kryvyi-rih': 90,
  'electricity-kryvyi-rih': 60, 'cadastre-dzk': 110, 'vehicles-mvs': 80,
};
/** Each domain field and the partners that answer it. */
const FIELDS: Record<string, { partners: string[]; selection: string }> = {
  gas: { partners: ['gas-kryvyi-rih', 'gas-vinnytsia'], selection: 'gasAccounts { accountNumber tariff { id } }' },
  heating: { partners: ['heating-kryvyi-rih'], selection: 'heatingAccounts { accountNumber tariff { id } }' },
  water: { partners: ['water-kryvyi-rih'], selection: 'waterAccounts { accountNumber tariff { id } }' },
  electricity: { partners: ['electricity-kryvyi-rih'], selection: 'electricityAccounts { accountNumber tariff { id } }' },
  cadastre: { partners: ['cadastre-dzk'], selection: 'landParcels { cadastralNumber issuedExtract { number } }' },
  vehicles: { partners: ['vehicles-mvs'], selection: 'vehicles { vin issuedExtract { number } }' },
};
const TAX_ID = '2660404572';

let headers: Record<string, string> = { 'content-type': 'application/json' };

async function post(url: string, query: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables: { taxId: TAX_ID } }) });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`the query failed: ${JSON.stringify(body.errors)}`);
  return performance.now() - started;
}

async function median(url: string, query: string): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await post(url, query));
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] };
}

const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;

// A trail of the benchmark's own (embedded, in a temporary folder; or DATABASE_URL's), so the real one is untouched.
const trailDir = mkdtempSync(path.join(tmpdir(), 'vikno-bench-trail-'));
const trail = await openTrail({
  ...trailOptionsFromEnv(process.env), dataDir: path.join(trailDir, 'trail'), checkpointDir: path.join(trailDir, 'checkpoints'),
  ...(process.env.DATABASE_URL ? { table: 'bench.overview_trail' } : {}),
});
const stack = await startStack({
  log: createLogger({ level: 'error' }), populationSize: 10_000, trail,
  faults: Object.fromEntries(Object.entries(LATENCY_MS).map(([id, latencyMs]) => [id, { latencyMs }])),
});
try {
  headers = { ...headers, authorization: `Bearer ${await stack.devIssuer!.issue({ kind: 'staff' })}`, 'x-purpose': 'benchmark' };
  const overview = loadQuery('overview');
  await post(stack.gatewayUrl, overview); // warm up: tariffs cached, connections open

  console.log(`Overview of ${TAX_ID}, ${RUNS} runs each, added latency per partner call as listed.\n`);
  console.log('field (partner)                      latency/call  calls per overview                               field alone (median)');
  const alone: number[] = [];
  for (const [domain, { partners, selection }] of Object.entries(FIELDS)) {
    const t = await median(stack.gatewayUrl, `query ($taxId: ID!) { citizen(taxId: $taxId) { ${selection} } }`);
    alone.push(t.median);
    for (const id of partners) stack.emulators.get(id)!.emulator.stats.reset();
    await post(stack.gatewayUrl, overview);
    partners.forEach((id, i) => {
      const calls = Object.entries(stack.emulators.get(id)!.emulator.stats.byOperation).map(([op, n]) => `${op}×${n}`).join(' ');
      const label = `${domain} (${id})`.padEnd(36);
      console.log(`${label} ${String(LATENCY_MS[id]).padStart(6)} ms   ${calls.padEnd(48)} ${i === 0 ? ms(t.median) : ''}`);
    });
  }
  const full = await median(stack.gatewayUrl, overview);
  for (const { emulator } of stack.emulators.values()) emulator.faults.latencyMs = 0;
  const baseline = await median(stack.gatewayUrl, overview);
  const slowest = Math.max(...alone);
  const sum = alone.reduce((a, b) => a + b, 0);
  console.log(`\noverview (all six fields): median ${ms(full.median)}, p95 ${ms(full.p95)}`);
  console.log(`slowest single field:      ${ms(slowest)}   overview / slowest = ${(full.median / slowest).toFixed(2)}`);
  console.log(`sum of the six fields:     ${ms(sum)}   overview / sum     = ${(full.median / sum).toFixed(2)}`);
  console.log(`baseline, no added latency: median ${ms(baseline.median)}, p95 ${ms(baseline.p95)} (Vikno and the emulators themselves)`);
} finally {
  await stack.stop();
  await trail.close();
  rmSync(trailDir, { recursive: true, force: true });
}
