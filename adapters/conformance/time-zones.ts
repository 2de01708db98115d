import type { DomainOperations } from '../core/contract.js';
import type { Domain } from '../../domain/model.js';
import { ViknoError } from '../../domain/errors.js';
import { buildPartner, captureLog } from './build.js';
import { withoutSource } from './checks-expected.js';
import { differences } from './expected.js';
import { probeFor } from './probes.js';
import { conformanceKeys } from './keys.js';
import { fail, notRun, pass, type ConformanceOptions, type Session, type TimeZoneSnapshot } from './session.js';

/** The zones the data checks are run again in: the furthest east and nearly the furthest west of UTC. */
export const TIME_ZONES: ReadonlyArray<{ zone: string; label: string; offsetMinutes: number }> = [
  { zone: 'Pacific/Kiritimati', label: 'UTC+14', offsetMinutes: 840 },
  { zone: 'Etc/GMT+11', label: 'UTC−11', offsetMinutes: -660 },
];

const SNAPSHOT_TIMEOUT_MS = 15_000;

/** What a snapshot needs of the suite's options. */
export type SnapshotOptions = Pick<ConformanceOptions, 'entry' | 'adapter' | 'baseUrl' | 'env' | 'taxIds' | 'clock'>;

function plain(value: unknown): unknown {
  if (value instanceof ViknoError) return { error: value.code };
  if (value instanceof Error) return { error: value.name };
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * The adapter's answers for the customers (the batch of the batch check) and, for utilities, its
 * tariffs, without provenance, as JSON: what is compared across time zones.
 */
export async function dataSnapshot(options: SnapshotOptions): Promise<TimeZoneSnapshot> {
  const probe = probeFor(options.entry.domain as Domain);
  const ops = buildPartner({
    // A snapshot is about the data, not the deadline: a busy machine must not make it differ.
    entry: options.entry, adapter: options.adapter, baseUrl: options.baseUrl, timeoutMs: Math.max(options.entry.connection.timeoutMs, SNAPSHOT_TIMEOUT_MS),
    env: options.env, log: captureLog().logger, clock: options.clock,
  }).adapterOps as DomainOperations[Domain];
  const call = { requestId: 'partner-check', officialId: 'conformance-check', purpose: 'conformance check' };
  const keys = conformanceKeys(options.taxIds);
  const batch = await probe.batch(ops, keys.batch, call).catch((error: unknown) => error);
  const tariffs = probe.isUtility ? await probe.single(ops, call).catch((error: unknown) => error) : null;
  return {
    offsetMinutes: -new Date(2026, 0, 1).getTimezoneOffset(),
    data: JSON.parse(JSON.stringify(plain(withoutSource({ batch, tariffs })))),
  };
}

/** The same answers in a process east and one west of UTC as here (dates a day off show up here). */
export async function checkTimeZones(s: Session, here: TimeZoneSnapshot, inTimeZone: ((zone: string) => Promise<TimeZoneSnapshot>) | undefined): Promise<void> {
  for (const { zone, label, offsetMinutes } of TIME_ZONES) {
    const name = `time zones: the same ${s.probe.noun}s${s.probe.isUtility ? ' and tariffs' : ''} in a process at ${label} (${zone}) as here`;
    if (!inTimeZone) {
      s.add(notRun(name, 'no way to start a process in another zone was given (scripts/partner-check.ts gives one)'));
      continue;
    }
    let there: TimeZoneSnapshot;
    try {
      there = await inTimeZone(zone);
    } catch (error) {
      s.add(fail(name, 'a run in that zone', `it failed: ${(error as Error).message.split('\n')[0]}`));
      continue;
    }
    if (there.offsetMinutes !== offsetMinutes) {
      s.add(fail(name, `a process at ${label}`, `one at ${there.offsetMinutes} minutes from UTC`));
      continue;
    }
    const found = differences(here.data, there.data, label);
    s.add(found.length === 0 ? pass(name) : fail(name, 'the same answers', found.slice(0, 6).join('; ') + (found.length > 6 ? `; and ${found.length - 6} more` : '')));
  }
}
