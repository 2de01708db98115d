import type { AnyAdapterDefinition } from '../core/define-adapter.js';
import type { CallContext, DomainOperations } from '../core/contract.js';
import type { Clock } from '../../platform/clock.js';
import type { PartnerEntry } from '../../domain/memorandum.js';
import type { Domain } from '../../domain/model.js';
import type { FaultMode, FaultProxy } from './fault-proxy.js';
import type { DomainProbe } from './probes.js';
import type { CapturedLog } from './build.js';

export interface Check {
  name: string;
  ok: boolean;
  /** On failure: what was expected and what came back (shapes and codes, never personal data). */
  detail?: string;
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
  /** Deadline of the adapter in checks that expect an answer; the entry's timeoutMs by default. */
  timeoutMs?: number;
  /** Deadline of the adapter while the partner hangs (default 300 ms), so no check waits long. */
  hangTimeoutMs?: number;
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
  domain: Domain;
  maxBatchSize: number;
  probe: DomainProbe;
  proxy: FaultProxy;
  keys: Keys;
  call: CallContext;
  log: CapturedLog;
  /** A fresh adapter (fresh cache) behind the proxy in `mode`; `hang` gets the short deadline. */
  adapterFor(mode: FaultMode): DomainOperations[Domain];
  /** Values seen in mapped data that must appear in no log line and no report. */
  personal: Set<string>;
  /** Every error an operation returned or threw, for the "messages hold no personal data" check. */
  errors: unknown[];
  add(check: Check): void;
}

export const pass = (name: string): Check => ({ name, ok: true });
export const fail = (name: string, expected: string, got: string): Check => ({ name, ok: false, detail: `expected ${expected}; got ${got}` });
