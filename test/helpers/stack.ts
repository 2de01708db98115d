import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../adapters/core/logger.js';
import { fixedClock } from '../../adapters/core/clock.js';
import { startStack, type RunningStack, type StackOptions } from '../../stack/start-stack.js';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, type Memorandum, type PartnerEntry } from '../../adapters/core/memorandum.js';

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
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
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

export async function startTestStack(options: TestStackOptions = {}): Promise<RunningStack & { log: CapturedLog }> {
  const log = captureLog();
  const { cache = true, ...rest } = options;
  const memorandum = rest.memorandum ?? (cache ? undefined : await memorandumWith(uncached));
  const stack = await startStack({ log: log.logger, populationSize: 300, asOf: TEST_AS_OF, clock: fixedClock(TEST_NOW), ...rest, memorandum });
  return Object.assign(stack, { log });
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** POSTs a GraphQL operation as a client would. */
export async function gql(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
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
