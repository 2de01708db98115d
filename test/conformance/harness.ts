import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../platform/clock.js';
import { DEFAULT_MEMORANDUM_FILE, parseMemorandum, type PartnerEntry } from '../../domain/memorandum.js';
import { projectRoot } from '../../domain/project-root.js';
import type { AnyAdapterDefinition } from '../../adapters/core/define-adapter.js';
import { loadAdapters } from '../../adapters/registry.js';
import { EMULATORS } from '../../emulators/registry.js';
import { EXPECTED } from '../../emulators/expected.js';
import { startEmulatedPartner } from '../../emulators/kit/emulated-partner.js';
import { createPopulation, DEMO_TAX_IDS } from '../../emulators/population/index.js';
import { runConformance, type Report } from '../../adapters/conformance/index.js';
import { snapshotInTimeZone, snapshotsInTimeZone, type SnapshotJob } from '../../scripts/partner-snapshot.js';
import type { TimeZoneSnapshot } from '../../adapters/conformance/index.js';
import { TEST_AS_OF, TEST_NOW } from '../helpers/stack.js';

export const memorandum = parseMemorandum(readFileSync(DEFAULT_MEMORANDUM_FILE, 'utf8'));
export const population = createPopulation({ size: 300, asOf: TEST_AS_OF });
const clock = fixedClock(TEST_NOW);
export const ADAPTERS = await loadAdapters(memorandum);

/** `partner-check --snapshot` from the TypeScript sources, for the time-zone checks' child processes. */
const SNAPSHOT_COMMAND = [
  process.execPath, '--import', path.join(projectRoot(), 'test', 'helpers', 'ts-loader.mjs'), path.join(projectRoot(), 'scripts', 'partner-check.ts'), '--snapshot',
];

const jobOf = (partner: string, adapterModule?: string): SnapshotJob => ({
  partner, taxIds: DEMO_TAX_IDS, population: { size: 300, asOf: TEST_AS_OF }, now: TEST_NOW, adapterModule,
});

/** The registered adapters' answers in each zone: one child process per zone for every emulated partner, started once. */
const registeredSnapshots = new Map<string, Promise<Map<string, TimeZoneSnapshot>>>();
function registeredSnapshot(zone: string, partner: string): Promise<TimeZoneSnapshot> {
  let all = registeredSnapshots.get(zone);
  if (!all) {
    const ids = memorandum.partners.filter((p) => EMULATORS[p.id]).map((p) => p.id);
    all = snapshotsInTimeZone(SNAPSHOT_COMMAND, ids.map((id) => jobOf(id)), zone).then((list) => new Map(ids.map((id, i) => [id, list[i]])));
    registeredSnapshots.set(zone, all);
  }
  return all.then((byId) => byId.get(partner)!);
}

/** How long one run of the suite may take on a busy machine (it waits out a Retry-After, starts two processes). */
export const RUN_TIMEOUT_MS = 120_000;

/**
 * The suite against a partner's emulator, with `adapter` in place of the registered one if given.
 * The time-zone runs load the registered adapter, or `adapterModule`'s default export when given
 * (a broken adapter must be a module of its own to reach the child process).
 */
export async function checkAgainstEmulator(
  id: string, adapter?: AnyAdapterDefinition, adapterModule?: string, connection: Partial<PartnerEntry['connection']> = {},
): Promise<Report> {
  const registered = memorandum.partners.find((p) => p.id === id)!;
  const entry = { ...registered, connection: { ...registered.connection, ...connection } };
  const factory = EMULATORS[id];
  if (!factory) throw new Error(`no emulator for ${id} in emulators/registry.ts`);
  const partner = await startEmulatedPartner({ entry, factory, population, clock });
  try {
    return await runConformance({
      entry, adapter: adapter ?? ADAPTERS[entry.adapter], baseUrl: partner.url, env: partner.env, taxIds: DEMO_TAX_IDS, clock,
      expected: EXPECTED[id]?.(population, DEMO_TAX_IDS),
      // A broken adapter made in the test file cannot reach a child process: its time zones are not run.
      inTimeZone: adapterModule ? (zone) => snapshotInTimeZone(SNAPSHOT_COMMAND, jobOf(id, adapterModule), zone)
        : adapter ? undefined
          : (zone) => registeredSnapshot(zone, id),
    });
  } finally {
    await partner.close();
  }
}
