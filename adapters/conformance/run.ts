import { checkRnokpp, encodeRnokpp } from '../../domain/identifiers.js';
import type { Domain } from '../../domain/model.js';
import { MemorandumError } from '../../domain/memorandum.js';
import { buildPartner, captureLog } from './build.js';
import { checkBatchOrder, checkFailingKey } from './checks-batch.js';
import { checkData } from './checks-data.js';
import { checkErrorMapping, checkTariffsCached } from './checks-faults.js';
import { checkErrorMessages, checkLogs } from './checks-logs.js';
import { redact } from './describe.js';
import { startFaultProxy } from './fault-proxy.js';
import { probeFor } from './probes.js';
import { fail, type Check, type ConformanceOptions, type Keys, type Report, type Session } from './session.js';

const DEFAULT_HANG_TIMEOUT_MS = 300;
const SETUP_CHECK = 'setup: the adapter builds from its memorandum entry';

/** A valid РНОКПП of someone born on 1 January 1901: nobody any partner serves. */
export function strangerTaxId(avoid: readonly string[]): string {
  for (let serial = 0; ; serial++) {
    const taxId = encodeRnokpp('1901-01-01', serial, 'MALE');
    if (!avoid.includes(taxId)) return taxId;
  }
}

export function conformanceKeys(taxIds: readonly string[]): Keys {
  if (taxIds.length === 0) throw new TypeError('taxIds: give at least one tax id of a customer of the partner');
  taxIds.forEach((taxId, i) => {
    const problem = checkRnokpp(taxId);
    if (problem) throw new TypeError(`taxIds[${i}]: not a valid РНОКПП (${problem})`);
  });
  const customers = [...new Set(taxIds)];
  const stranger = strangerTaxId(customers);
  const [first, ...others] = customers;
  return { customers, stranger, batch: [first, stranger, ...others, first] };
}

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
  const timeoutMs = options.timeoutMs ?? entry.connection.timeoutMs;
  const hangTimeoutMs = options.hangTimeoutMs ?? DEFAULT_HANG_TIMEOUT_MS;
  const proxy = await startFaultProxy(options.baseUrl);

  const session: Session = {
    partnerId,
    domain: entry.domain as Domain,
    maxBatchSize: adapter.maxBatchSize,
    probe: probeFor(entry.domain as Domain),
    proxy,
    keys,
    call: { requestId: 'partner-check', officialId: 'conformance-check', purpose: 'conformance check' },
    log,
    personal: new Set(),
    errors: [],
    add: (check) => void checks.push(check),
    adapterFor(mode) {
      proxy.setMode(mode);
      const deadline = mode.kind === 'hang' ? Math.min(hangTimeoutMs, timeoutMs) : timeoutMs;
      return buildPartner({ entry, adapter, baseUrl: proxy.url, timeoutMs: deadline, env: options.env, log: log.logger, clock: options.clock }).adapterOps;
    },
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
    await checkFailingKey(session);
    await checkErrorMapping(session, data.firstItem);
    if (session.probe.isUtility) await checkTariffsCached(session);
    checkErrorMessages(session);
    checkLogs(session);
  } finally {
    await proxy.close();
  }

  const personal = [...keys.customers, keys.stranger, ...session.personal];
  return { partner: partnerId, checks: checks.map((c) => (c.detail === undefined ? c : { ...c, detail: redact(c.detail, personal) })) };
}

/** The names of the checks that failed; `[]` when the adapter conforms. */
export function failedChecks(report: Report): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => c.name);
}
