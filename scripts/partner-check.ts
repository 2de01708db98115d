/**
 * `npm run partner:check -- <partner id> [--url <base url>]`: runs the conformance suite
 * (adapters/conformance/) against one partner's adapter and prints a report.
 *
 * Without a URL the partner's emulator is started (a population of 300, the current month,
 * credentials made up for the run). With `--url` or PARTNER_CHECK_URL the live partner is checked:
 * credentials come from the environment variables its memorandum entry names, and
 * PARTNER_CHECK_TAX_IDS (comma-separated) names customers known to the partner (default: the demo
 * citizens). Exit status: 0 all checks passed, 1 some failed, 2 usage or configuration error.
 */
import { systemClock } from '../platform/clock.js';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, MemorandumError } from '../domain/memorandum.js';
import { loadAdapter } from '../adapters/registry.js';
import { conformanceKeys, formatReport, runConformance, summarize } from '../adapters/conformance/index.js';
import { EMULATORS } from '../emulators/registry.js';
import { startEmulatedPartner, type EmulatedPartner } from '../emulators/kit/emulated-partner.js';
import { createPopulation, DEMO_TAX_IDS } from '../emulators/population/index.js';
import { EXPECTED } from '../emulators/expected.js';
import { loadExpected, type ExpectedData } from '../adapters/conformance/expected.js';
import { projectRoot } from '../domain/project-root.js';
import { runSnapshotJob, snapshotInTimeZone, type SnapshotJob } from './partner-snapshot.js';
import { existsSync } from 'node:fs';
import path from 'node:path';

const POPULATION_SIZE = 300;

const USAGE = `usage: npm run partner:check -- <partner id> [--url <base url>]

  <partner id>   a partner of memorandum.yaml (it may still be enabled: false)
  --url <url>    check the live partner at this base URL instead of its emulator
                 (or set PARTNER_CHECK_URL); credentials are read from the environment
                 variables the memorandum entry names
  PARTNER_CHECK_TAX_IDS  comma-separated tax ids of customers of the partner
                 (default: the two demo citizens)
  PARTNER_CHECK_EXPECTED  the file of expected records for a live partner
                 (default: adapters/<adapter>/conformance.expected.json)`;

class UsageError extends Error {
  constructor(message: string, readonly showUsage = false) {
    super(message);
  }
}

function parseArgs(argv: readonly string[]): { id: string; url?: string } {
  let id: string | undefined;
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError('', true);
    if (arg === '--url') url = argv[++i];
    else if (arg.startsWith('--url=')) url = arg.slice('--url='.length);
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`, true);
    else if (id === undefined) id = arg;
    else throw new UsageError('one partner id at a time', true);
  }
  if (!id) throw new UsageError('the partner id is missing', true);
  if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError('--url must be an http(s) URL', true);
  return { id, url };
}

function taxIdsFrom(env: NodeJS.ProcessEnv): readonly string[] {
  const raw = env.PARTNER_CHECK_TAX_IDS?.trim();
  const taxIds = raw ? raw.split(',').map((t) => t.trim()).filter(Boolean) : DEMO_TAX_IDS;
  try {
    conformanceKeys(taxIds);
  } catch (error) {
    throw new UsageError(`PARTNER_CHECK_TAX_IDS: ${(error as Error).message}`);
  }
  return taxIds;
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseArgs(argv);
  const memorandum = await loadMemorandum(env.MEMORANDUM || DEFAULT_MEMORANDUM_FILE);
  const entry = memorandum.partners.find((p) => p.id === args.id);
  if (!entry) throw new UsageError(`no partner "${args.id}" in the memorandum (it lists: ${memorandum.partners.map((p) => p.id).join(', ')})`);
  const adapter = await loadAdapter(entry.adapter);
  if (!adapter) {
    throw new UsageError(`partner "${entry.id}" names adapter "${entry.adapter}", but adapters/${entry.adapter}/index.ts does not default-export an adapter named "${entry.adapter}"`);
  }
  const taxIds = taxIdsFrom(env);
  const url = args.url ?? (env.PARTNER_CHECK_URL || undefined);
  if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError('PARTNER_CHECK_URL must be an http(s) URL');

  let emulated: EmulatedPartner | undefined;
  if (url === undefined) {
    const factory = EMULATORS[entry.id];
    if (!factory) throw new UsageError(`no emulator stands in for "${entry.id}" (emulators/registry.ts); give the partner's base URL with --url or PARTNER_CHECK_URL`);
    emulated = await startEmulatedPartner({ entry, factory, population: createPopulation({ size: POPULATION_SIZE }), clock: systemClock });
  }
  let expected: ExpectedData | undefined;
  if (emulated) expected = EXPECTED[entry.id]?.(createPopulation({ size: POPULATION_SIZE }), taxIds);
  else {
    const file = env.PARTNER_CHECK_EXPECTED || path.join(projectRoot(), 'adapters', entry.adapter, 'conformance.expected.json');
    if (existsSync(file)) expected = await loadExpected(file).catch((error: Error) => { throw new UsageError(error.message); });
  }
  const job: SnapshotJob = { partner: entry.id, taxIds, url, population: { size: POPULATION_SIZE }, memorandum: env.MEMORANDUM || undefined };
  const self = [process.execPath, ...process.execArgv, process.argv[1], '--snapshot'];
  try {
    const where = emulated ? 'its emulator' : new URL(url!).origin;
    console.log(`checking ${entry.id} (adapter ${entry.adapter}, ${entry.domain}${entry.enabled ? '' : ', not yet enabled'}) against ${where}\n`);
    const report = await runConformance({
      entry, adapter, taxIds, clock: systemClock,
      baseUrl: emulated?.url ?? url!,
      env: emulated?.env ?? env,
      expected,
      inTimeZone: (zone) => snapshotInTimeZone(self, job, zone, env),
    });
    console.log(formatReport(report));
    return summarize(report).failed > 0 ? 1 : 0;
  } finally {
    await emulated?.close();
  }
}

/** `--snapshot`: the child side of the time-zone checks (partner-snapshot.ts): jobs on stdin, their snapshots on stdout. */
async function snapshot(): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const jobs = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SnapshotJob[];
  const results = [];
  for (const job of jobs) results.push(await runSnapshotJob(job, process.env));
  process.stdout.write(JSON.stringify(results));
  return 0;
}

(process.argv[2] === '--snapshot' ? snapshot() : main(process.argv.slice(2), process.env)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof UsageError && !error.message) {
      console.log(USAGE);
      return;
    }
    if (error instanceof UsageError) console.error(error.showUsage ? `${error.message}\n\n${USAGE}` : error.message);
    else if (error instanceof MemorandumError) console.error(error.message);
    else console.error(`partner-check failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = error instanceof UsageError || error instanceof MemorandumError ? 2 : 1;
  },
);
