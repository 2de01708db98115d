/**
 * `npm run bench`: what an overview (docs/queries/overview.graphql) costs Vikno, measured the way
 * issue 13 asks, in one run.
 *
 * 1. Side by side. Every service in its own process, as compose runs them (each emulated partner,
 *    each subgraph, the gateway: `node dist/…/main.js`, on free loopback ports), and beside
 *    Vikno's gateway a bare Apollo Gateway over the same subgraph processes (bench/bare-gateway.ts).
 *    The same request sequence goes to both, alternating in rounds, at 20 connections and at 1;
 *    "cold" asks for a different citizen each time (disjoint citizens for the two gateways, so
 *    neither finds the other's records cached), "warm" for one citizen whose records are cached.
 *    CPU per overview is the kernel's accounting of each process (utime + stime, /proc/<pid>/stat)
 *    over the round, divided by the answers: the gateway, the subgraphs together, the emulators.
 *    Every service runs with NODE_ENV=production and the secrets compose requires (made up for the
 *    run). Vikno's gateway runs with authentication (a token per desk from an issuer key made up for
 *    the run), the look-up limits (defaults: each desk a staff member of its own, 25 people each),
 *    the access trail (embedded per gateway process, or PostgreSQL with DATABASE_URL) and metrics.
 * 2. One desk: each partner answers after a fixed latency (as set below); each domain field alone,
 *    then the whole overview, one request at a time, cold citizens. The overview's median over the
 *    slowest field's median is the time Vikno adds to its slowest partner path.
 * 3. The embedded default (`npm start`, one process) as a child: CPU per cold overview with the
 *    emulators included, and its RSS over BENCH_LOOKUPS look-ups.
 * 4. With DATABASE_URL: the access trail with two replicas (two processes appending to one chain on
 *    the same PostgreSQL): the most it sustains (closed loop: BENCH_DESKS desks per replica, each
 *    awaiting its record), then its latency at a fixed offered rate (open loop: BENCH_TRAIL_RATE
 *    look-ups a second on a timetable, latency from each one's scheduled arrival), then the chain,
 *    seals and checkpoints verified.
 *
 * Knobs: BENCH_REQUESTS (answers per gateway, temperature and connection count; 400),
 * BENCH_ROUNDS (alternations; 4), BENCH_DESK_RUNS (one-desk samples; 20), BENCH_LOOKUPS (embedded
 * look-ups; 10000), BENCH_TRAIL_SECONDS (10, each way), BENCH_DESKS (50), BENCH_TRAIL_RATE (3000),
 * BENCH_PHASES (any of side,desk,embedded,trail), BENCH_CONNECTIONS (20,1), BENCH_LOOKUP_KINDS (cold,warm),
 * BENCH_WARMUP (look-ups of each kind through each gateway before the rows; 400), BENCH_EMBEDDED_CONNECTIONS (8);
 * BENCH_CPU_PROF=gateway,bare,subgraph-gas,…
 * runs those processes with `node --cpu-prof` (profiles in BENCH_CPU_PROF_DIR, default bench-profiles/).
 * BENCH_BREAKDOWN=1 prints under each row where the gateway's CPU went (main thread or others, user or
 * system) and each subgraph's CPU per overview.
 * Figures are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { Kind, parse, print, separateOperations, visit, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { createPgClient, openTrail } from '../audit/index.js';
import { loadQuery } from '../docs/queries/index.js';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum } from '../domain/memorandum.js';
import { EMULATORS } from '../emulators/registry.js';
import { ADMIN_PATH } from '../emulators/kit/admin.js';
import { createPopulation, DEMO_TAX_IDS } from '../emulators/population/index.js';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { devPrincipal, loadDevIssuer } from '../identity/dev-issuer.js';
import { claimsFromPrincipal } from '../identity/principal.js';
import { envSuffix } from '../platform/env.js';
import { SUBGRAPH_NAMES } from '../schema/index.js';
import { cpuMs, cpuSplit, rssMb, startService, stopService, type CpuSplit, type Service } from './services.js';

const env = process.env;
const num = (name: string, fallback: number) => Number(env[name] ?? fallback);
const REQUESTS = num('BENCH_REQUESTS', 400);
const WARMUP = num('BENCH_WARMUP', 400);
const ROUNDS = Math.max(2, num('BENCH_ROUNDS', 4));
const DESK_RUNS = num('BENCH_DESK_RUNS', 20);
const LOOKUPS = num('BENCH_LOOKUPS', 10_000);
const TRAIL_SECONDS = num('BENCH_TRAIL_SECONDS', 10);
const PHASES = new Set((env.BENCH_PHASES ?? 'side,desk,embedded,trail').split(','));
const POPULATION = 10_000;
const PEOPLE_PER_DESK = 25; // under the default staff limit (30 people per 10 minutes)
const WARM_TAX_ID = DEMO_TAX_IDS[1];
const DATABASE_URL = env.DATABASE_URL || undefined;
const BREAKDOWN = env.BENCH_BREAKDOWN === '1';

const LATENCY_MS: Record<string, number> = {
  'gas-kryvyi-rih': 120, 'gas-vinnytsia': 100, 'heating-kryvyi-rih': 70, 'water-kryvyi-rih': 90,
  'electricity-kryvyi-rih': 60, 'cadastre-dzk': 110, 'vehicles-mvs': 80, 'housing-kryvyi-rih': 85,
};
/**
 * Each domain's field of the overview alone, asked with the overview's own selection (its bills,
 * readings, extracts …), so that its time is the path it takes inside the overview.
 */
function overviewField(field: string): string {
  const document = parse(OVERVIEW);
  const [operation, ...fragments] = document.definitions as [OperationDefinitionNode, ...FragmentDefinitionNode[]];
  const citizen = operation.selectionSet.selections[0] as FieldNode;
  const only = visit(operation, {
    Field(node) {
      return node === citizen ? { ...node, selectionSet: { ...citizen.selectionSet!, selections: citizen.selectionSet!.selections.filter((s) => s.kind === Kind.FIELD && s.name.value === field) } } : undefined;
    },
  });
  // Only the fragments it spreads, directly or through another (an unused fragment is invalid): graphql-js's separateOperations.
  const [alone] = Object.values(separateOperations({ ...document, definitions: [only, ...fragments] }));
  return print(alone);
}
const DOMAIN_FIELDS: Record<string, string> = {
  gas: 'gasAccounts', heating: 'heatingAccounts', water: 'waterAccounts', electricity: 'electricityAccounts',
  housing: 'housingAccounts', cadastre: 'landParcels', vehicles: 'vehicles',
};
const OVERVIEW = loadQuery('overview');

// ---------------------------------------------------------------------------------------------
// Citizens, desks and requests

const population = createPopulation({ seed: 'vikno', size: POPULATION });
const coldPool = population.citizens.map((c) => c.taxId).filter((t) => !DEMO_TAX_IDS.includes(t));
let coldNext = 0;
/** `n` citizens nobody has asked about yet in this run. */
function freshCitizens(n: number): string[] {
  if (coldNext + n > coldPool.length) throw new Error(`the population (${POPULATION}) has too few citizens left for ${n} cold look-ups: lower BENCH_REQUESTS`);
  return coldPool.slice(coldNext, (coldNext += n));
}

/** Tokens for each desk (a staff member of its own), signed once each. */
function tokensBy(sign: (staffId: string) => Promise<string>): (desk: number) => Promise<string> {
  const tokens = new Map<number, Promise<string>>();
  return (desk) => {
    if (!tokens.has(desk)) tokens.set(desk, sign(`bench-desk-${desk}`));
    return tokens.get(desk)!;
  };
}
// The services run as compose runs them, NODE_ENV=production: a real issuer's key (made up for this
// run), as an operator's AUTH_ISSUER and AUTH_PUBLIC_KEY name it. The embedded default trusts the development issuer.
const ISSUER = 'https://id.bench.invalid/';
const issuerKeys = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
const productionToken = tokensBy((id) => new SignJWT({ ...claimsFromPrincipal(devPrincipal({ kind: 'staff', id })) }).setProtectedHeader({ alg: 'EdDSA' })
  .setIssuer(ISSUER).setAudience('vikno').setIssuedAt().setExpirationTime('6h').sign(issuerKeys.privateKey));
const devIssuer = await loadDevIssuer({ env: { ...env, NODE_ENV: undefined } });
const devToken = tokensBy((id) => devIssuer.issue({ kind: 'staff', id }, { ttlSeconds: 6 * 3600 }));

let deskNext = 0;
/** Each request a desk asking about at most PEOPLE_PER_DESK people (under the default limit), or one desk for warm look-ups. */
function desksFor(count: number, distinct: boolean): number[] {
  const desks: number[] = [];
  for (let i = 0; i < count; i++) {
    if (distinct && i % PEOPLE_PER_DESK === 0) deskNext++;
    desks.push(distinct ? deskNext : 0);
  }
  return desks;
}

interface Target { name: string; url: string; token?: (desk: number) => Promise<string> }
interface Job { taxId: string; desk: number; query: string }
interface RunResult { latencies: number[]; wallMs: number; errors: number; refused: number; resets: number; bytes: number; firstError?: string }

async function ask(target: Target, job: Job, result: RunResult): Promise<void> {
  for (;;) {
    const started = performance.now();
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(target.token ? { authorization: `Bearer ${await target.token(job.desk)}`, 'x-purpose': 'benchmark' } : {}),
      },
      body: JSON.stringify({ query: job.query, variables: { taxId: job.taxId } }),
    }).catch((error: Error) => error);
    // A kept-alive connection the server closed as it was reused: the client asks again.
    if (response instanceof Error) {
      if (++result.resets > 20) throw response;
      continue;
    }
    const text = await response.text();
    if (response.status === 503) { // admission: a client waits and asks again
      result.refused++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    result.latencies.push(performance.now() - started);
    result.bytes += text.length;
    const body = JSON.parse(text) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
    if (body.errors || !response.ok) {
      result.errors++;
      result.firstError ??= `${response.status} ${JSON.stringify(body.errors?.[0] ?? text.slice(0, 200))}`;
    }
    return;
  }
}

async function run(target: Target, jobs: readonly Job[], connections: number): Promise<RunResult> {
  const result: RunResult = { latencies: [], wallMs: 0, errors: 0, refused: 0, resets: 0, bytes: 0 };
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(connections, jobs.length) }, async () => {
    while (next < jobs.length) await ask(target, jobs[next++], result);
  }));
  result.wallMs = performance.now() - started;
  return result;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');

// ---------------------------------------------------------------------------------------------
// The processes

const work = mkdtempSync(path.join(tmpdir(), 'vikno-bench-'));
const running: Service[] = [];
const memorandum = await loadMemorandum(DEFAULT_MEMORANDUM_FILE);
const emulated = memorandum.partners.filter((p) => p.enabled && EMULATORS[p.id]);
// Credentials made up for this run: the emulators accept them, the subgraphs send them.
const credentials = Object.fromEntries(memorandum.partners.flatMap((p) => Object.values(p.connection.credentials))
  .map((v) => [v, randomBytes(18).toString('base64url')]));
const ASSERTION_SECRET = randomBytes(32).toString('base64url');
/** What compose gives every service, secrets made up for this run as an operator's .env holds them. */
const PRODUCTION = { NODE_ENV: 'production', CACHE_KEY_SECRET: randomBytes(32).toString('base64url') };
let database: { admin: string; url: string; name: string } | undefined;
const trailKey = randomBytes(32).toString('base64url');
const sealKey = randomBytes(32).toString('base64url');
const trailEnv = (replica: string): Record<string, string> => (database
  ? { DATABASE_URL: database.url, TRAIL_KEY: trailKey, TRAIL_SEAL_KEY: sealKey, TRAIL_CHECKPOINT_DIR: path.join(work, 'checkpoints'), TRAIL_REPLICA_ID: replica }
  : { TRAIL_DIR: path.join(work, replica, 'trail'), TRAIL_KEY: trailKey, TRAIL_SEAL_KEY: sealKey, TRAIL_REPLICA_ID: replica });

async function start(name: string, script: string, serviceEnv: Record<string, string>, nodeArgs: string[] = []): Promise<Service> {
  const service = await startService(name, script, { HOST: '127.0.0.1', PORT: '0', ...serviceEnv }, nodeArgs);
  running.push(service);
  return service;
}

async function createDatabase(): Promise<void> {
  const name = `vikno_bench_${process.pid}`;
  const client = createPgClient(DATABASE_URL!);
  await client.query(`CREATE DATABASE "${name}"`).finally(() => client.close());
  const url = new URL(DATABASE_URL!);
  url.pathname = `/${name}`;
  database = { admin: DATABASE_URL!, url: url.toString(), name };
}

async function dropDatabase(): Promise<void> {
  if (!database) return;
  const client = createPgClient(database.admin);
  await client.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`).finally(() => client.close());
}

interface Topology { emulators: Map<string, Service>; subgraphs: Service[]; vikno: Service; bare: Service }

/** `node --cpu-prof` for the processes BENCH_CPU_PROF names (gateway, bare, emulators, subgraph-<name>, embedded). */
const profile = (name: string) => (env.BENCH_CPU_PROF?.split(',').includes(name) ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(env.BENCH_CPU_PROF_DIR ?? 'bench-profiles')}`] : []);

async function startTopology(): Promise<Topology> {
  const emulators = new Map<string, Service>();
  await Promise.all(emulated.map(async (p) => emulators.set(p.id, await start(`emulator ${p.id}`, 'dist/emulators/main.js', {
    ...PRODUCTION, EMULATOR: p.id, SEED: 'vikno', POPULATION_SIZE: String(POPULATION), ...credentials,
  }, profile('emulators')))));
  const partnerUrls = Object.fromEntries([...emulators].map(([id, s]) => [`PARTNER_URL_${envSuffix(id)}`, s.url]));
  const subgraphs = await Promise.all(SUBGRAPH_NAMES.map((name) => start(`subgraph ${name}`, 'dist/subgraphs/main.js', {
    ...PRODUCTION, SUBGRAPH: name, ASSERTION_SECRET, LOG_LEVEL: 'info', ...credentials, ...partnerUrls,
    ...(name === 'centre' && database ? trailEnv('subgraph-centre') : {}),
  }, profile(`subgraph-${name}`))));
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [`SUBGRAPH_URL_${name.toUpperCase()}`, `${subgraphs[i].url}/graphql`]));
  const [vikno, bare] = await Promise.all([
    start('gateway', 'dist/gateway/main.js', { ...PRODUCTION, AUTH_ISSUER: ISSUER, AUTH_PUBLIC_KEY: JSON.stringify(await exportJWK(issuerKeys.publicKey)), ASSERTION_SECRET, LOG_LEVEL: 'info', ...subgraphUrls, ...trailEnv('gateway-1') }, profile('gateway')),
    start('bare gateway', 'dist/bench/bare-gateway.js', { NODE_ENV: 'production', ASSERTION_SECRET, ...subgraphUrls }, profile('bare')),
  ]);
  return { emulators, subgraphs, vikno, bare };
}

/** The two gateways as the bench asks them: Vikno's with a desk's token, the bare one without. */
function gateways(t: Topology): Array<{ target: Target; service: Service }> {
  return [
    { target: { name: 'vikno', url: `${t.vikno.url}/graphql`, token: productionToken }, service: t.vikno },
    { target: { name: 'bare', url: `${t.bare.url}/` }, service: t.bare },
  ];
}

const cpuOf = (services: readonly Service[]) => services.reduce((sum, s) => sum + cpuMs(s.pid), 0);

// ---------------------------------------------------------------------------------------------
// 1. Side by side

interface Row { latencies: number[]; wallMs: number; answers: number; errors: number; refused: number; bytes: number; gateway: number; subgraphs: number; emulators: number; bySubgraph: number[]; gatewaySplit: CpuSplit; firstError?: string }

// Warm-up: connections open, the warm citizen's records cached, and the code compiled. V8 optimises
// a function once it has run often; with the code of Apollo, got, zod, graphql-js and express
// on every path, a service keeps compiling for the first thousand or so requests (measured: a
// subgraph's CPU per request fell by a third between its first few hundred requests and after
// 2,500, most of the difference V8's compiler threads). A service in production runs for days: phases
// 1 and 2 measure it after BENCH_WARMUP cold and as many warm look-ups through each gateway.
async function warmUp(t: Topology): Promise<void> {
  const warmupStarted = performance.now();
  for (const { target } of gateways(t)) {
    const cold = await run(target, desksFor(WARMUP, true).map((desk) => ({ taxId: freshCitizens(1)[0], desk, query: OVERVIEW })), 20);
    const warm = await run(target, Array.from({ length: WARMUP }, () => ({ taxId: WARM_TAX_ID, desk: 0, query: OVERVIEW })), 20);
    if (cold.errors + warm.errors) console.log(`   (warm-up: ${cold.errors + warm.errors} of ${2 * WARMUP} answers through ${target.name} had errors; the first: ${cold.firstError ?? warm.firstError})`);
  }
  console.log(`\n   (warm-up: ${WARMUP} cold and ${WARMUP} warm look-ups through each gateway, ${f0((performance.now() - warmupStarted) / 1000)} s)`);
}

async function sideBySide(t: Topology): Promise<Record<string, Record<string, number>>> {
  const targets = gateways(t);
  const emulatorList = [...t.emulators.values()];
  const ratios: Record<string, Record<string, number>> = {};
  console.log('\n1. Side by side: Vikno\'s gateway and a bare Apollo Gateway over the same subgraph and emulator processes,');
  console.log(`   alternating in ${ROUNDS} rounds; ${REQUESTS} answers per row; CPU per overview from /proc/<pid>/stat (10 ms ticks).`);
  console.log('   The bare gateway has no authentication, limits, trail, metrics or plugins; it includes the signed assertion the');
  console.log('   subgraphs require of any caller (identity/assertion.ts, signed over each subgraph request\'s body).\n');
  console.log('   look-ups  conn  gateway   answers/s   p50 ms   p99 ms   KB/answer   CPU ms per overview: gateway  subgraphs  emulators   refused');
  for (const connections of (env.BENCH_CONNECTIONS ?? '20,1').split(',').map(Number)) {
    for (const mode of (env.BENCH_LOOKUP_KINDS ?? 'cold,warm').split(',') as Array<'cold' | 'warm'>) {
      const rows = new Map<string, Row>(targets.map(({ target }) => [target.name, { latencies: [], wallMs: 0, answers: 0, errors: 0, refused: 0, bytes: 0, gateway: 0, subgraphs: 0, emulators: 0, bySubgraph: t.subgraphs.map(() => 0), gatewaySplit: { mainUser: 0, mainSystem: 0, otherUser: 0, otherSystem: 0 } }]));
      const perRound = Math.ceil(REQUESTS / ROUNDS);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        const desks = desksFor(perRound, mode === 'cold');
        for (const { target, service } of order) {
          const taxIds = mode === 'cold' ? freshCitizens(perRound) : Array.from({ length: perRound }, () => WARM_TAX_ID);
          const jobs = taxIds.map((taxId, i) => ({ taxId, desk: desks[i], query: OVERVIEW }));
          const before = { gateway: cpuMs(service.pid), subgraphs: cpuOf(t.subgraphs), emulators: cpuOf(emulatorList), bySubgraph: t.subgraphs.map((s) => cpuMs(s.pid)), gatewaySplit: cpuSplit(service.pid) };
          const result = await run(target, jobs, connections);
          const row = rows.get(target.name)!;
          row.gateway += cpuMs(service.pid) - before.gateway;
          row.subgraphs += cpuOf(t.subgraphs) - before.subgraphs;
          row.emulators += cpuOf(emulatorList) - before.emulators;
          t.subgraphs.forEach((s, i) => { row.bySubgraph[i] += cpuMs(s.pid) - before.bySubgraph[i]; });
          const split = cpuSplit(service.pid);
          for (const k of Object.keys(split) as Array<keyof CpuSplit>) row.gatewaySplit[k] += split[k] - before.gatewaySplit[k];
          row.latencies.push(...result.latencies);
          row.wallMs += result.wallMs;
          row.answers += result.latencies.length;
          row.errors += result.errors;
          row.refused += result.refused;
          row.bytes += result.bytes;
          row.firstError ??= result.firstError;
        }
      }
      for (const { target } of targets) {
        const row = rows.get(target.name)!;
        const sorted = row.latencies.sort((a, b) => a - b);
        const per = (v: number) => v / row.answers;
        console.log(`   ${mode.padEnd(8)}  ${String(connections).padStart(4)}  ${target.name.padEnd(7)} ${f0((row.answers / row.wallMs) * 1000).padStart(10)}  ${f0(quantile(sorted, 0.5)).padStart(7)}  ${f0(quantile(sorted, 0.99)).padStart(7)}  ${f1(row.bytes / row.answers / 1024).padStart(10)}  ${''.padStart(20)}${f1(per(row.gateway)).padStart(7)}  ${f1(per(row.subgraphs)).padStart(9)}  ${f1(per(row.emulators)).padStart(9)}  ${String(row.refused).padStart(8)}`);
        if (row.errors) console.log(`             ${row.errors} answers had errors; the first: ${row.firstError}`);
        if (BREAKDOWN) {
          const g = row.gatewaySplit;
          console.log(`             gateway, CPU ms per overview: main thread ${f1(g.mainUser / row.answers)} user + ${f1(g.mainSystem / row.answers)} system, other threads ${f1(g.otherUser / row.answers)} user + ${f1(g.otherSystem / row.answers)} system`);
          console.log(`             subgraphs, CPU ms per overview: ${SUBGRAPH_NAMES.map((name, i) => `${name} ${f1(row.bySubgraph[i] / row.answers)}`).join(', ')}`);
        }
      }
      const [v, b] = [rows.get('vikno')!, rows.get('bare')!];
      ratios[`${mode} ×${connections}`] = { gateway: (v.gateway / v.answers) / (b.gateway / b.answers), vikno: v.gateway / v.answers, bare: b.gateway / b.answers, subgraphs: v.subgraphs / v.answers };
    }
  }
  console.log('\n   Vikno\'s gateway CPU per overview over the bare gateway\'s:');
  for (const [key, r] of Object.entries(ratios)) console.log(`     ${key.padEnd(10)} ${r.gateway.toFixed(2)}×  (${f1(r.vikno)} ms against ${f1(r.bare)} ms)`);
  return ratios;
}

// ---------------------------------------------------------------------------------------------
// 2. One desk, partners slow

async function patchFaults(t: Topology, latency: (id: string) => number): Promise<void> {
  await Promise.all([...t.emulators].map(async ([id, s]) => {
    const response = await fetch(`${s.url}${ADMIN_PATH}/faults`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: latency(id) }) });
    if (!response.ok) throw new Error(`${id}: the faults were not set (${response.status})`);
  }));
}

async function oneDesk(t: Topology): Promise<void> {
  const [vikno, bare] = gateways(t).map(({ target }) => target);
  const median = async (target: Target, query: string) => {
    const desks = desksFor(DESK_RUNS, true);
    const result = await run(target, freshCitizens(DESK_RUNS).map((taxId, i) => ({ taxId, desk: desks[i], query })), 1);
    if (result.errors) throw new Error(`${target.name}: ${result.firstError}`);
    const sorted = result.latencies.sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
  };
  await patchFaults(t, (id) => LATENCY_MS[id] ?? 100);
  try {
    console.log(`\n2. One desk, each partner answering after a fixed latency per call; cold citizens, ${DESK_RUNS} look-ups each, one at a time.\n`);
    console.log(`   latency per call: ${Object.entries(LATENCY_MS).map(([id, ms]) => `${id} ${ms}`).join(', ')} ms\n`);
    const alone: Record<string, number> = {};
    for (const [domain, field] of Object.entries(DOMAIN_FIELDS)) {
      alone[domain] = (await median(vikno, overviewField(field))).p50;
      console.log(`   ${`${domain} alone`.padEnd(22)} p50 ${f0(alone[domain]).padStart(5)} ms`);
    }
    const [slowDomain, slowest] = Object.entries(alone).sort((a, b) => b[1] - a[1])[0];
    const overview = await median(vikno, OVERVIEW);
    const bareOverview = await median(bare, OVERVIEW);
    console.log(`   overview (Vikno)       p50 ${f0(overview.p50).padStart(5)} ms, p95 ${f0(overview.p95)} ms`);
    console.log(`   overview (bare)        p50 ${f0(bareOverview.p50).padStart(5)} ms, p95 ${f0(bareOverview.p95)} ms`);
    console.log(`   Vikno's overview over its slowest partner path (${slowDomain} alone): ${f1(overview.p50 - slowest)} ms (p50 against p50)`);
  } finally {
    await patchFaults(t, () => 0);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. The embedded default

async function embedded(): Promise<void> {
  // Under the embedded default's admission limit of 16 requests in flight. Fewer (BENCH_EMBEDDED_CONNECTIONS)
  // on a machine busy with other work, so answers do not run out of their budget and do less work.
  const connections = num('BENCH_EMBEDDED_CONNECTIONS', 8);
  console.log(`\n3. The embedded default (npm start: node --max-old-space-size=256 dist/stack/main.js), ${LOOKUPS} look-ups at ${connections} connections,`);
  console.log(`   a different citizen each until the ${POPULATION} are all asked for, then again from the first.\n`);
  const profiled = profile('embedded');
  const stack = await start('embedded default', 'dist/stack/main.js', { TRAIL_DIR: path.join(work, 'embedded', 'trail'), LOG_LEVEL: 'warn' }, ['--max-old-space-size=256', ...profiled]);
  try {
    // A profile's samples carry V8's monotonic clock, which is process.hrtime's: samples before this
    // moment are the start-up's, and `node dist/bench/cpu-profile.js --from <µs>` leaves them out.
    if (profiled.length) console.log(`   (profiled: the look-ups start at ${process.hrtime.bigint() / 1000n} µs)`);
    const target: Target = { name: 'embedded', url: `${stack.url}/graphql`, token: devToken };
    const pool = population.citizens.map((c) => c.taxId);
    const step = Math.max(500, Math.ceil(LOOKUPS / 10));
    console.log('   look-ups   RSS MB   CPU ms per overview since the last line   answers/s   JS heap MB   external MB');
    const memory = async () => {
      const heap = await processMemory(stack.url);
      return `${f0(heap.heapUsed).padStart(13)}  ${f0(heap.external).padStart(12)}`;
    };
    console.log(`   ${'0'.padStart(8)}  ${f0(rssMb(stack.pid)).padStart(7)}   ${''.padStart(60)}${await memory()}`);
    let done = 0;
    while (done < LOOKUPS) {
      const n = Math.min(step, LOOKUPS - done);
      const desks = desksFor(n, true);
      const jobs = desks.map((desk, i) => ({ taxId: pool[(done + i) % pool.length], desk, query: OVERVIEW }));
      const before = cpuMs(stack.pid);
      const result = await run(target, jobs, connections);
      done += n;
      const cold = done <= pool.length ? '(cold)' : '';
      const cpu = (cpuMs(stack.pid) - before) / n;
      console.log(`   ${String(done).padStart(8)}  ${f0(rssMb(stack.pid)).padStart(7)}   ${f1(cpu).padStart(8)} ${cold.padEnd(32)} ${f0((n / result.wallMs) * 1000).padStart(8)}${await memory()}`
        + (result.errors ? `   ${result.errors} with errors, the first: ${result.firstError}` : ''));
    }
  } finally {
    await stopService(stack);
  }
}

/**
 * The embedded process's JS heap in use and its memory outside the heap (Buffers, ArrayBuffers) in
 * MB, from the gateway's /metrics (prom-client's process metrics): what of the RSS is JavaScript's.
 */
async function processMemory(url: string): Promise<{ heapUsed: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { heapUsed: value('nodejs_heap_size_used_bytes'), external: value('nodejs_external_memory_bytes') };
}

// ---------------------------------------------------------------------------------------------
// 4. The trail with two replicas on PostgreSQL

type ReplicaResult = { appends: number; seconds: number; cpuMs: number; p50: number; p99: number; max: number; latencies: number[] };

/** The q-quantile of both replicas' latencies together. */
function pooled(results: ReplicaResult[], q: number): number {
  const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return all[Math.min(all.length - 1, Math.floor(all.length * q))];
}

/** Runs bench/trail-replica.js in two processes at once, started together, in `mode`; their results. */
async function runReplicas(mode: 'closed' | 'open', knobs: Record<string, string>): Promise<ReplicaResult[]> {
  const children = ['gateway-1', 'gateway-2'].map((replica) => spawn(process.execPath, ['dist/bench/trail-replica.js'], {
    env: { PATH: env.PATH ?? '', ...trailEnv(`bench-${replica}`), BENCH_TRAIL_MODE: mode, BENCH_SECONDS: String(TRAIL_SECONDS), ...knobs },
    stdio: ['pipe', 'pipe', 'inherit'],
  }));
  const lines = children.map((child) => {
    let text = '';
    child.stdout!.setEncoding('utf8');
    const ready = new Promise<void>((resolve) => child.stdout!.on('data', (chunk: string) => { text += chunk; if (text.includes('ready')) resolve(); }));
    const done = new Promise<string>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`a trail replica exited with ${code}`)))));
    return { ready, done };
  });
  await Promise.all(lines.map((l) => l.ready));
  for (const child of children) child.stdin!.end('go\n');
  return (await Promise.all(lines.map((l) => l.done))).map((text) => JSON.parse(text.trim().split('\n').at(-1)!) as ReplicaResult);
}

function printReplicas(results: ReplicaResult[]): void {
  results.forEach((r, i) => console.log(`   replica ${i + 1}: ${r.appends} appends in ${r.seconds.toFixed(1)} s, p50 ${f1(r.p50)} ms, p99 ${f1(r.p99)} ms, max ${f0(r.max)} ms;`
    + ` process CPU ${f1((r.cpuMs / r.appends) * 1000)} ms per 1,000 records`));
}

async function trailReplicas(): Promise<void> {
  const desks = num('BENCH_DESKS', 50);
  const rate = num('BENCH_TRAIL_RATE', 3000);
  console.log(`\n4. The access trail on PostgreSQL, two replicas (two processes, one chain), ${TRAIL_SECONDS} s each way.\n`);
  // The most it sustains: desks that each wait for their record before the next look-up. Their
  // latency is desks / rate (Little's law): a figure about the desks, not the trail.
  console.log(`   closed loop, the most sustained: ${desks} desks per replica, each appending one look-up at a time`);
  const closed = await runReplicas('closed', { BENCH_DESKS: String(desks) });
  printReplicas(closed);
  const total = closed.reduce((sum, r) => sum + r.appends, 0);
  console.log(`   together: ${f0(total / Math.max(...closed.map((r) => r.seconds)))} records/s sustained, p50 ${f1(pooled(closed, 0.5))} ms, p99 ${f1(pooled(closed, 0.99))} ms (desks / rate, by construction)`);
  // The target's latency: a fixed arrival rate, each latency from its scheduled arrival (queueing counts).
  console.log(`\n   open loop, the target's latency: ${f0(rate)} look-ups/s offered (${f0(rate / 2)} per replica on a fixed timetable, none waiting for another), latency from each one's scheduled arrival`);
  const open = await runReplicas('open', { BENCH_RATE: String(rate / 2) });
  printReplicas(open);
  const achieved = open.reduce((sum, r) => sum + r.appends, 0) / Math.max(...open.map((r) => r.seconds));
  console.log(`   together: ${f0(achieved)} records/s achieved of ${f0(rate)} offered, p50 ${f1(pooled(open, 0.5))} ms, p99 ${f1(pooled(open, 0.99))} ms, max ${f0(pooled(open, 1))} ms`);
  const trail = await openTrail({ databaseUrl: database!.url, sealKey, checkpointDir: path.join(work, 'checkpoints'), replicaId: 'bench-verify', verifyOnly: true });
  try {
    const started = performance.now();
    const verified = await trail.verify();
    const took = `${f1((performance.now() - started) / 1000)} s`;
    console.log(verified.ok
      ? `   verify: the chain, its seals and checkpoints verify (${verified.count} records, ${verified.sealed} sealed, ${verified.checkpoints} checkpoints; ${took})`
      : `   verify: FAILED ${JSON.stringify(verified)} (${took})`);
  } finally {
    await trail.close();
  }
}

// ---------------------------------------------------------------------------------------------

console.log(`npm run bench — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${f0(totalmem() / 2 ** 30)} GB, Node ${process.versions.node}`);
console.log('services: NODE_ENV=production, each in its own process as compose runs them (the embedded default: npm start as it is)');
console.log(`access trail: ${DATABASE_URL ? 'PostgreSQL (a database of this run\'s own)' : 'embedded (PGlite) in the gateway process'}; partners' caches in process memory (no REDIS_URL)`);
// Interrupted, the children go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const s of running) s.child.kill('SIGKILL');
    process.exit(130);
  });
}
try {
  if (DATABASE_URL) await createDatabase();
  if (PHASES.has('side') || PHASES.has('desk')) {
    const topology = await startTopology();
    try {
      await warmUp(topology);
      if (PHASES.has('side')) await sideBySide(topology);
      if (PHASES.has('desk')) await oneDesk(topology);
    } finally {
      await Promise.all(running.splice(0).map((s) => stopService(s)));
    }
  }
  if (PHASES.has('embedded')) await embedded();
  if (PHASES.has('trail') && database) await trailReplicas();
} finally {
  await Promise.all(running.map((s) => stopService(s)));
  await dropDatabase().catch((error) => console.error(`the bench database was not dropped: ${(error as Error).message}`));
  rmSync(work, { recursive: true, force: true });
}
