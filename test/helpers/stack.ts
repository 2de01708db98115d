import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../platform/logger.js';
import { fixedClock } from '../../platform/clock.js';
import { startStack, type RunningStack, type StackOptions } from '../../stack/start-stack.js';
import type { SubgraphName } from '../../schema/index.js';
import { openTestTrail } from './trail.js';
import type { OpenedTrail } from '../../audit/index.js';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, type Memorandum, type PartnerEntry } from '../../domain/memorandum.js';
import { tmpdir } from 'node:os';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { ASSERTION_HEADER, signAssertion } from '../../identity/assertion.js';
import type { Principal } from '../../identity/principal.js';
import { ALL_SCOPES } from '../../identity/principal.js';
import { DEMO_STAFF, type DevTokenClaims } from '../../identity/dev-issuer.js';

/** Fixed reference month and clock, so every run of the suite sees the same data and times. */
export const TEST_AS_OF = '2026-11-01';
export const TEST_NOW = '2026-11-22T09:00:00.000Z';

export interface CapturedLog {
  logger: Logger;
  lines: string[];
}

/** A logger whose lines are kept in memory, to assert what was (and was not) logged. */
export function captureLog(level = 'info'): CapturedLog {
  const lines: string[] = [];
  // Also kept for the whole suite's check that no log holds personal data (test/global-teardown.js).
  const suiteLog = process.env.VIKNO_TEST_LOG_DIR ? path.join(process.env.VIKNO_TEST_LOG_DIR, `${process.pid}.log`) : undefined;
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      if (suiteLog) appendFileSync(suiteLog, String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

/** The checked-in memorandum with a change applied to every partner's entry. */
export async function memorandumWith(change: (entry: PartnerEntry) => void): Promise<Memorandum> {
  const memorandum = await loadMemorandum(DEFAULT_MEMORANDUM_FILE);
  memorandum.partners.forEach(change);
  return memorandum;
}

/** No record or extract cache and no stale copies (tariffs stay cached): every query reaches the partners. */
export const uncached = (entry: PartnerEntry) => {
  entry.connection.cacheTtlSeconds = { ...entry.connection.cacheTtlSeconds, records: 0, extracts: 0 };
  entry.connection.maxStaleSeconds = 0;
};

export interface TestStackOptions extends Partial<StackOptions> {
  /** false: every query reaches the partners, as `uncached` describes. */
  cache?: boolean;
}

export const TEST_PURPOSE = 'Талон А-017';
export const DEMO_STAFF_PRINCIPAL: Principal = { kind: 'staff', ...DEMO_STAFF, scopes: ALL_SCOPES };

export interface TestStack extends RunningStack {
  log: CapturedLog;
  /** The stack's access trail (its own, unless one was handed in). */
  trail: StackOptions['trail'] & Partial<Pick<OpenedTrail, 'securityLog' | 'verify'>>;
  /** A token from the stack's development issuer. */
  token(claims?: DevTokenClaims, ttlSeconds?: number): Promise<string>;
  /** Sends an operation straight to a subgraph as the gateway would: with an assertion for this subgraph and this exact body. */
  subgraphGql(subgraph: SubgraphName, query: string, variables?: Record<string, unknown>, as?: SubgraphCaller): Promise<GraphQLResponse>;
}

export interface SubgraphCaller {
  principal?: Principal;
  purpose?: string;
  /** Whether the assertion says the people of the request were recorded (default true). */
  recorded?: boolean;
}

/** Headers `gql` sends unless told otherwise: the demo staff member with every scope and a purpose. */
let defaultHeaders: Record<string, string> = {};

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const log = captureLog();
  const { cache = true, ...rest } = options;
  const memorandum = rest.memorandum ?? (cache ? undefined : await memorandumWith(uncached));
  const ownTrail = rest.trail ? undefined : await openTestTrail();
  const trail = rest.trail ?? ownTrail!;
  let stack: RunningStack;
  try {
    stack = await startStack({
      log: log.logger, populationSize: 300, asOf: TEST_AS_OF, clock: fixedClock(TEST_NOW),
      devIssuerDir: path.join(tmpdir(), `vikno-test-issuer-${process.pid}`), securityLog: ownTrail?.securityLog,
      // Only the tests that sign a page in ask for the demo OpenID provider (a large library to load per test file).
      demoProvider: false, ...rest, memorandum, trail,
    });
  } catch (error) {
    await ownTrail?.dispose();
    throw error;
  }
  if (ownTrail) {
    const stop = stack.stop;
    stack.stop = async () => { await stop(); await ownTrail.dispose(); };
  }
  const token = (claims: DevTokenClaims = { kind: 'staff' }, ttlSeconds?: number) => stack.devIssuer!.issue(claims, { ttlSeconds });
  defaultHeaders = { authorization: `Bearer ${await token()}`, 'x-purpose': encodeURIComponent(TEST_PURPOSE) };
  const subgraphGql = async (subgraph: SubgraphName, query: string, variables: Record<string, unknown> = {}, as: SubgraphCaller = {}) => {
    const body = JSON.stringify({ query, variables });
    const { principal = DEMO_STAFF_PRINCIPAL, purpose = TEST_PURPOSE, recorded = true } = as;
    const assertion = await signAssertion(stack.assertionKey, { principal, purpose, requestId: 'test', recorded }, { audience: subgraph, body });
    const response = await fetch(stack.subgraphUrls[subgraph], { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: assertion }, body });
    return (await response.json()) as GraphQLResponse;
  };
  return Object.assign(stack, { log, token, subgraphGql, trail });
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** POSTs a GraphQL operation as a client would (as the demo staff member, unless `headers` say otherwise). */
export async function gql(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...defaultHeaders, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse;
}

/** Calls each emulator received, by partner id. */
export function callCounts(stack: RunningStack): Record<string, number> {
  return Object.fromEntries([...stack.emulators].map(([id, { emulator }]) => [id, emulator.stats.calls]));
}

export function resetCallCounts(stack: RunningStack): void {
  for (const { emulator } of stack.emulators.values()) emulator.stats.reset();
}
