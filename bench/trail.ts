/**
 * `npm run bench:trail`: fills an access trail and times what must stay fast with millions of
 * records: a citizen's first page, a page deep into a long trail, one more append (sealed, with
 * its checkpoint written), appends from many desks at once, and verifying the whole trail.
 *
 * With DATABASE_URL it writes 1,000,000 records into a schema of its own (vikno_bench_<pid>,
 * dropped at the end: it never touches the real trail); without it, 100,000 into an embedded
 * store in a temporary folder. BENCH_TRAIL_RECORDS sets the count. The records are spread over
 * 100,000 people; one person (the "long trail") is looked up every 200th time, so there is a
 * deep page to ask for.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSubjectHash } from '../audit/open.js';
import { chainRecord, GENESIS_HASH, type TrailEntry, type TrailRecord } from '../audit/record.js';
import { insertRecords, trailTable } from '../audit/schema.js';
import { createSealer } from '../audit/seal.js';
import { createPgClient, createPgliteClient, type SqlClient } from '../audit/sql-client.js';
import { createTrail, encodeCursor } from '../audit/trail.js';

const url = process.env.DATABASE_URL;
const RECORDS = Number(process.env.BENCH_TRAIL_RECORDS ?? (url ? 1_000_000 : 100_000));
const SUBJECTS = 100_000;
const LONG_EVERY = 200;
const BATCH = 5_000;
const RUNS = 20;
const LONG_TRAIL = '3111901220';
const START = Date.parse('2025-01-01T00:00:00.000Z');

const CONCURRENT = 50;

const schema = `vikno_bench_${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'vikno-bench-trail-'));
const table = url ? `${schema}.trail` : 'access_trail';
const client: SqlClient = url ? createPgClient(url, { max: 10 }) : await createPgliteClient(path.join(dir, 'db'));
const hashSubject = createSubjectHash('bench trail key, not a secret');
const sealKey = 'bench seal key, not a secret either!';
const sealer = createSealer(sealKey);
let at = START;
const trail = createTrail({
  client, hashSubject, clock: { now: () => new Date(at++) }, table, sealKey, checkpointDir: path.join(dir, 'checkpoints'), replicaId: 'bench',
});

const taxIdOf = (seq: number) => (seq % LONG_EVERY === 0 ? LONG_TRAIL : String(2_000_000_000 + (seq % SUBJECTS)));
const entryOf = (seq: number): TrailEntry => ({
  actor: seq % 3 ? { kind: 'staff', staffId: `s-${seq % 40}`, centre: 'cnap-kryvyi-rih' } : { kind: 'citizen' },
  subject: taxIdOf(seq), institution: seq % 3 ? 'ЦНАП м. Кривий Ріг' : 'Портал громадянина',
  official: seq % 3 ? 'Оксана Петренко' : null, purpose: seq % 3 ? `талон А-${seq % 1000}` : null, operation: 'Overview',
  domains: ['gas', 'heating', 'water', 'electricity', 'cadastre', 'vehicles'],
  partners: [{ id: 'gas-kryvyi-rih', outcome: 'ANSWERED' }, { id: 'water-kryvyi-rih', outcome: seq % 17 ? 'ANSWERED' : 'PARTNER_TIMEOUT' }],
  outcome: seq % 17 ? 'ANSWERED' : 'PARTIAL',
});

async function fill(): Promise<void> {
  const t = trailTable(table);
  const subjects = new Map<string, string>();
  const subjectOf = (taxId: string) => subjects.get(taxId) ?? subjects.set(taxId, hashSubject(taxId)).get(taxId)!;
  let prevHash = GENESIS_HASH;
  for (let from = 1; from <= RECORDS; from += BATCH) {
    const batch: TrailRecord[] = [];
    for (let seq = from; seq < Math.min(from + BATCH, RECORDS + 1); seq++) {
      const entry = entryOf(seq);
      const record = chainRecord(entry, { seq, at: new Date(at++), subject: subjectOf(entry.subject), prevHash });
      prevHash = record.hash;
      batch.push({ ...record, seal: sealer.seal(record.hash) });
    }
    // The bench is this table's only writer; batches still go in the way append does, one transaction each.
    await client.transaction((tx) => insertRecords(tx, t, batch));
    if ((from + BATCH - 1) % 100_000 === 0) process.stdout.write(`\r  ${(from + batch.length - 1).toLocaleString('en')} records`);
  }
  process.stdout.write('\n');
  await client.query(`ANALYZE ${t.records}`);
}

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms`;

try {
  console.log(`access trail benchmark: ${RECORDS.toLocaleString('en')} records over ${SUBJECTS.toLocaleString('en')} people, ${url ? `PostgreSQL (schema ${schema})` : 'embedded store (PGlite)'}`);
  if (url) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await trail.migrate();
  let started = performance.now();
  await fill();
  const fillMs = performance.now() - started;
  console.log(`  fill: ${(fillMs / 1000).toFixed(1)} s (${Math.round(RECORDS / (fillMs / 1000)).toLocaleString('en')} records/s, hashes and seals computed in JS, batches of ${BATCH})`);
  const t = trailTable(table);
  const index = `${t.schema ? `"${t.schema}".` : ''}"${t.base}_lookups"`;
  const { rows: [size] } = await client.query<{ total: string; index: string }>(
    'SELECT pg_size_pretty(pg_total_relation_size($1)) AS total, pg_size_pretty(pg_relation_size($2)) AS index', [t.records, index]);
  console.log(`  on disk: ${size.total} with indexes, of which the look-ups' (subject_hash, seq DESC) index ${size.index}`);

  const longCount = Math.floor(RECORDS / LONG_EVERY);
  const depth = Math.floor(longCount * 0.8);
  const deepCursor = encodeCursor((longCount - depth + 1) * LONG_EVERY);
  const deep = await trail.forSubject(LONG_TRAIL, { after: deepCursor });
  if (deep.records.length !== 20) throw new Error(`the deep page has ${deep.records.length} records`);
  const figures: Array<[string, number]> = [
    [`first page, 20 of a typical person's ~${Math.round(RECORDS / SUBJECTS)}`, await median(() => trail.forSubject('2000012345'))],
    [`first page, 20 of the long trail's ${longCount.toLocaleString('en')}`, await median(() => trail.forSubject(LONG_TRAIL))],
    [`deep page, 20 after the ${depth.toLocaleString('en')}th newest of the long trail`, await median(() => trail.forSubject(LONG_TRAIL, { after: deepCursor }))],
    ['one append (lock, read the head, insert, seal, checkpoint)', await median(() => trail.append(entryOf(7)))],
    ['one request\'s openings: appendMany of 3', await median(() => trail.appendMany([entryOf(7), entryOf(8), entryOf(9)]))],
  ];
  for (const [what, time] of figures) console.log(`  ${what.padEnd(58)} median of ${RUNS}: ${ms(time)}`);

  started = performance.now();
  for (let round = 0; round < RUNS; round++) await Promise.all(Array.from({ length: CONCURRENT }, (_, n) => trail.append(entryOf(n))));
  const concurrentMs = performance.now() - started;
  const lines = readFileSync(path.join(dir, 'checkpoints', 'bench.jsonl'), 'utf8').trim().split('\n').length;
  console.log(`  ${CONCURRENT} desks appending at once, ${RUNS} rounds: ${Math.round((CONCURRENT * RUNS) / (concurrentMs / 1000)).toLocaleString('en')} appends/s`
    + ` (${lines.toLocaleString('en')} checkpoint lines in all, shared by concurrent appends)`);

  started = performance.now();
  const result = await trail.verify();
  const verifyMs = performance.now() - started;
  if (!result.ok) throw new Error(`the benchmark trail does not verify: ${JSON.stringify(result)}`);
  console.log(`  verify the whole trail (${result.count.toLocaleString('en')} records, ${result.sealed.toLocaleString('en')} seals, `
    + `${result.checkpoints.toLocaleString('en')} checkpoints): ${(verifyMs / 1000).toFixed(1)} s (${Math.round(result.count / (verifyMs / 1000)).toLocaleString('en')} records/s)`);
} finally {
  if (url) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.close();
  rmSync(dir, { recursive: true, force: true });
}
