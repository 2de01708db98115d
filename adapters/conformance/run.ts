import type { Domain } from '../../domain/model.js';
import { MemorandumError } from '../../domain/memorandum.js';
import { buildPartner, captureLog, type BuildOptions } from './build.js';
import { checkBatchOrder, checkFailingKey } from './checks-batch.js';
import { checkData } from './checks-data.js';
import { checkErrorMapping, checkTariffsCached } from './checks-faults.js';
import { checkErrorMessages, checkLogs } from './checks-logs.js';
import { redact } from './describe.js';
import { startFaultProxy, type FaultMode, type FaultProxy } from './fault-proxy.js';
import { probeFor } from './probes.js';
import { conformanceKeys } from './keys.js';
import { checkExpected, checkShuffledBatches } from './checks-expected.js';
import { checkOverTime } from './checks-time.js';
import { checkBatchSizes, checkExtractIssuedOnce, checkInFlight, checkRetries, checkRetryAfter, checkTamperedExtract } from './checks-requests.js';
import { checkTimeZones, dataSnapshot } from './time-zones.js';
import { retriesOf } from '../core/partners.js';
import { fail, type Check, type ConformanceOptions, type Report, type Session } from './session.js';

const DEFAULT_HANG_TIMEOUT_MS = 300;
const ANSWER_TIMEOUT_MS = 10_000;
const SETUP_CHECK = 'setup: the adapter builds from its memorandum entry';

export { conformanceKeys, strangerTaxId } from './keys.js';

/**
 * Runs the contract's checks against one adapter talking to one partner system (its emulator or a
 * live base URL) through a fault-injecting proxy, and reports each check. Plain code, no test
 * runner: the CLI (scripts/partner-check.ts) and the test suite both call it.
 */
export async function runConformance(options: ConformanceOptions): Promise<Report> {
  const { entry, adapter } = options;
  const partnerId = entry.id;
  const keys = conformanceKeys(options.taxIds);
  const checks: Check[] = [];
  const log = captureLog();
  // The deadline itself is checked with a hanging partner (hangTimeoutMs); elsewhere a busy machine must not turn an answer into a timeout.
  const timeoutMs = options.timeoutMs ?? Math.max(entry.connection.timeoutMs, ANSWER_TIMEOUT_MS);
  const hangTimeoutMs = options.hangTimeoutMs ?? DEFAULT_HANG_TIMEOUT_MS;
  const personal = new Set<string>();
  const errors: unknown[] = [];
  const credentials = Object.values(entry.connection.credentials).map((variable) => options.env[variable]).filter((v): v is string => !!v);

  /** A session on its own proxy: checks that switch the proxy's mode can then run side by side. */
  function sessionOn(proxy: FaultProxy, add: (check: Check) => void): Session {
    const build = (mode: FaultMode, extra: Partial<Pick<BuildOptions, 'clock' | 'store' | 'noBreaker' | 'timeoutMs'>> = {}) => {
      proxy.setMode(mode);
      const deadline = mode.kind === 'hang' ? Math.min(hangTimeoutMs, timeoutMs) : timeoutMs;
      return buildPartner({ entry, adapter, baseUrl: proxy.url, timeoutMs: deadline, env: options.env, log: log.logger, clock: options.clock, ...extra });
    };
    const session: Session = {
      partnerId,
      entry,
      now: () => options.clock.now(),
      domain: entry.domain as Domain,
      maxBatchSize: adapter.maxBatchSize,
      probe: probeFor(entry.domain as Domain),
      proxy,
      keys,
      call: { requestId: 'partner-check', officialId: 'conformance-check', purpose: 'conformance check' },
      log,
      personal,
      credentials,
      errors,
      add,
      adapterFor: (mode) => build(mode).adapterOps,
      partnerFor: (mode, extra) => build(mode, extra),
      async isolated(run) {
        const own = await startFaultProxy(options.baseUrl);
        const found: Check[] = [];
        try {
          await run(sessionOn(own, (check) => void found.push(check)));
        } finally {
          await own.close();
        }
        return found;
      },
    };
    return session;
  }
  const proxy = await startFaultProxy(options.baseUrl);
  const session = sessionOn(proxy, (check) => void checks.push(check));
  /** Runs groups of checks side by side, each on its own proxy, and reports them in the order given. */
  const sideBySide = async (...groups: Array<(s: Session) => Promise<void>>) => {
    for (const found of await Promise.all(groups.map((group) => session.isolated(group)))) checks.push(...found);
  };

  try {
    try {
      session.adapterFor({ kind: 'pass' });
      checks.push({ name: SETUP_CHECK, ok: true });
    } catch (error) {
      if (!(error instanceof MemorandumError)) throw error;
      // The problems name the file, field and environment variable, never a value.
      const problems = error.problems.map((problem) => problem.replace('partners[0].', `partner ${partnerId}: `));
      checks.push(fail(SETUP_CHECK, 'an adapter', problems.join('; ')));
      return { partner: partnerId, checks };
    }
    const data = await checkBatchOrder(session);
    checkData(session, data);
    if (options.expected) checkExpected(session, data, options.expected);
    else checks.push(fail('records: each customer\'s records equal the expected ones, field by field', 'expected records (emulators/expected.ts, or adapters/<partner>/conformance.expected.json for a live partner)', 'none given'));
    // The time-zone runs start emulators of their own and run beside everything. Checks whose
    // calls the proxy answers itself run side by side; the ones that reach the partner run one
    // after another, so together they stay within what the partner allows (its rate limit).
    const timeZones = session.isolated(async (s) => {
      const here = await dataSnapshot({ entry, adapter, baseUrl: options.baseUrl, env: options.env, taxIds: options.taxIds, clock: options.clock });
      await checkTimeZones(s, here, options.inTimeZone);
    });
    await sideBySide(
      (s) => checkFailingKey(s),
      (s) => checkErrorMapping(s, data.firstItem),
      (s) => checkTamperedExtract(s, data.firstItem),
      (s) => checkExtractIssuedOnce(s, data.firstItem),
      (s) => checkRetries(s, retriesOf(entry, adapter)),
    );
    await checkShuffledBatches(session);
    if (session.probe.isUtility) await checkTariffsCached(session);
    await session.isolated((s) => checkOverTime(s, ttlSecondsOf(entry, adapter))).then((found) => checks.push(...found));
    await checkBatchSizes(session);
    await checkInFlight(session);
    await checkRetryAfter(session);
    checks.push(...await timeZones);
    checkErrorMessages(session);
    checkLogs(session);
  } finally {
    await proxy.close();
  }

  const secret = [...credentials, ...keys.customers, keys.stranger, ...personal];
  return { partner: partnerId, checks: checks.map((c) => (c.detail === undefined ? c : { ...c, detail: redact(c.detail, secret) })) };
}

/** Cache lifetimes in seconds as production computes them (core/partners.ts): defaults, the adapter's, the memorandum's. */
function ttlSecondsOf(entry: ConformanceOptions['entry'], adapter: ConformanceOptions['adapter']): Record<string, number> {
  return { records: 60, extracts: 86_400, ...adapter.cacheTtlSeconds, ...entry.connection.cacheTtlSeconds };
}

/** The names of the checks that failed; `[]` when the adapter conforms. */
export function failedChecks(report: Report): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => c.name);
}
