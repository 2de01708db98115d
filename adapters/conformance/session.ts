import type { AnyAdapterDefinition } from '../core/define-adapter.js';
import type { CallContext, DomainOperations } from '../core/contract.js';
import type { Clock } from '../../platform/clock.js';
import type { PartnerEntry } from '../../domain/memorandum.js';
import type { Domain } from '../../domain/model.js';
import type { FaultMode, FaultProxy } from './fault-proxy.js';
import type { DomainProbe } from './probes.js';
import type { CapturedLog } from './build.js';
import type { Partner } from '../core/partners.js';
import type { SharedStore } from '../../platform/store.js';
import type { ExpectedData } from './expected.js';

export interface Check {
  name: string;
  ok: boolean;
  /** On failure: what was expected and what came back (shapes and codes, never personal data). */
  detail?: string;
  /** Set when the check could not be run here, and why (it then counts as neither passed nor failed). */
  notRun?: string;
}

export interface Report {
  partner: string;
  checks: Check[];
}

export interface ConformanceOptions {
  /** The partner's memorandum entry; it may be `enabled: false` (a partner not yet admitted). */
  entry: PartnerEntry;
  /** The adapter definition the entry's `adapter:` names (or one wrapped around it). */
  adapter: AnyAdapterDefinition;
  /** The partner system under check: its emulator or a live base URL. */
  baseUrl: string;
  /** Where the credentials are read from, by the variable names the entry gives. */
  env: Readonly<Record<string, string | undefined>>;
  /** Tax ids known to be customers of the partner (at least one; two or more for the batch checks). */
  taxIds: readonly string[];
  clock: Clock;
  /** Deadline of the adapter in checks that expect an answer; the entry's timeoutMs, at least 10 s, by default. */
  timeoutMs?: number;
  /** Deadline of the adapter while the partner hangs (default 300 ms), so no check waits long. */
  hangTimeoutMs?: number;
  /**
   * The right answers for the tax ids: from the emulator's records (emulators/expected.ts) or the
   * partner's fixture file (adapters/<partner>/conformance.expected.json). Without them the records
   * are checked for their shape only, and the report says so.
   */
  expected?: ExpectedData;
  /**
   * What the adapter answers when the process runs in another time zone (a child process with
   * TZ set: scripts/partner-check.ts --snapshot), to compare with the answer here. Without it the
   * time-zone checks report that they were not run.
   */
  inTimeZone?: (timeZone: string) => Promise<TimeZoneSnapshot>;
}

/** What dataSnapshot() gives: the offset the process ran at, and the answers without provenance. */
export interface TimeZoneSnapshot {
  /** Minutes east of UTC on 1 January 2026 (+840 at Kiritimati), proving the zone took effect. */
  offsetMinutes: number;
  data: unknown;
}

/** The keys every batch check asks with. */
export interface Keys {
  customers: readonly string[];
  /** A valid tax id nobody has. */
  stranger: string;
  /** `[first customer, stranger, other customers…, first customer again]`. */
  batch: readonly string[];
}

/** What the checks share while one report is made. */
export interface Session {
  partnerId: string;
  entry: PartnerEntry;
  /** The time the checks start from (the clock given). */
  now(): Date;
  domain: Domain;
  maxBatchSize: number;
  probe: DomainProbe;
  proxy: FaultProxy;
  keys: Keys;
  call: CallContext;
  log: CapturedLog;
  /** A fresh adapter (fresh cache) behind the proxy in `mode`; `hang` gets the short deadline. */
  adapterFor(mode: FaultMode): DomainOperations[Domain];
  /** The whole partner as production builds it (its ops with the core's cache, stale fallback and deadline), on a store and clock of the check's. */
  partnerFor(mode: FaultMode, with_: { clock?: Clock; store?: SharedStore; noBreaker?: boolean; timeoutMs?: number }): Partner;
  /** The credentials' values (from the environment variables the entry names): in no log line, no error, no report. */
  credentials: string[];
  /** Values seen in mapped data that must appear in no log line and no report. */
  personal: Set<string>;
  /** Every error an operation returned or threw, for the "messages hold no personal data" check. */
  errors: unknown[];
  add(check: Check): void;
  /** Runs checks on a proxy of their own (so they may run beside others) and gives back what they reported. */
  isolated(run: (s: Session) => Promise<void>): Promise<Check[]>;
}

export const pass = (name: string): Check => ({ name, ok: true });
export const notRun = (name: string, why: string): Check => ({ name, ok: true, notRun: why });
export const fail = (name: string, expected: string, got: string): Check => ({ name, ok: false, detail: `expected ${expected}; got ${got}` });
