import type { AnyAdapterDefinition } from '../../adapters/core/define-adapter.js';
import type { BatchResult, UtilityOperations } from '../../adapters/core/contract.js';
import type { HeatingAccount } from '../../domain/model.js';
import { ViknoError } from '../../domain/errors.js';
import { DEMO_TAX_IDS } from '../../emulators/population/index.js';
import { failedChecks, formatReport } from '../../adapters/conformance/index.js';
import { ADAPTERS, checkAgainstEmulator, memorandum, RUN_TIMEOUT_MS } from './harness.js';

const enabled = memorandum.partners.filter((p) => p.enabled).map((p) => p.id);

type Accounts = UtilityOperations<HeatingAccount>['accountsByTaxIds'];

/** The heating adapter with its batch operation wrapped, to prove the suite notices a broken adapter. */
function brokenHeating(wrap: (real: Accounts, log: { info(o: object, m: string): void }) => Accounts): AnyAdapterDefinition {
  const real = ADAPTERS['heating-kryvyi-rih'];
  return {
    ...real,
    create(context) {
      const ops = real.create(context) as UtilityOperations<HeatingAccount>;
      return { ...ops, accountsByTaxIds: wrap(ops.accountsByTaxIds, context.log) };
    },
  };
}

const unavailableToEmpty = (results: BatchResult<HeatingAccount[]>) =>
  results.map((r) => (r instanceof ViknoError && r.code === 'PARTNER_UNAVAILABLE' ? [] : r));

/** Every account's newest bill one kopiyka off. */
const miscount = (results: BatchResult<HeatingAccount[]>) => results.map((r) => (r instanceof Error ? r : r.map((account) => {
  const [newest, ...older] = account.bills;
  return { ...account, bills: [{ ...newest, toPay: { ...newest.toPay, minorUnits: newest.toPay.minorUnits + 1 } }, ...older] };
})));

const BROKEN: ReadonlyArray<[string, AnyAdapterDefinition, string[]]> = [
  ['answers in reverse key order', brokenHeating((real) => async (keys, call) => (await real(keys, call)).reverse()), [
    'batch: accountsByTaxIds gives one result per key, in key order (customer, stranger, customer, repeat)',
    "records: each customer's accounts equal the expected ones, field by field",
    'batch: a key whose call fails gets a catalogued error; the other keys get their data',
    'batch: each key gets the same accounts alone and in shuffled batches with strangers and repeats',
  ]],
  ['turns a failed call into "no records"', brokenHeating((real) => async (keys, call) => unavailableToEmpty(await real(keys, call))), [
    'batch: a key whose call fails gets a catalogued error; the other keys get their data',
    'errors: accountsByTaxIds on HTTP 500 → PARTNER_UNAVAILABLE',
    'errors: accountsByTaxIds on HTTP 503 → PARTNER_UNAVAILABLE',
    'errors: accountsByTaxIds on HTTP 502 → PARTNER_UNAVAILABLE',
    'errors: accountsByTaxIds on HTTP 504 → PARTNER_UNAVAILABLE',
    'errors: accountsByTaxIds on HTTP 401 (credentials refused) → PARTNER_UNAVAILABLE',
    'errors: accountsByTaxIds on HTTP 403 (credentials refused) → PARTNER_UNAVAILABLE',
    'errors: accountsByTaxIds on a connection reset → PARTNER_UNAVAILABLE',
    'errors: accountsByTaxIds on HTTP 429 (after the retries the adapter makes) → PARTNER_UNAVAILABLE',
    'over time: when the partner fails after the lifetime, the kept records come back STALE with their fetchedAt',
    'over time: a failure is never kept: once the partner answers again, so does the adapter',
  ]],
  ['miscounts a bill', brokenHeating((real) => async (keys, call) => miscount(await real(keys, call))), [
    "data: bills add up (toPay = opening + accrued − paid); balance is the newest bill's toPay",
    "records: each customer's accounts equal the expected ones, field by field",
  ]],
  ['logs the tax ids it is asked about', brokenHeating((real, log) => (keys, call) => {
    log.info({ asked: keys }, 'looking up');
    return real(keys, call);
  }), [
    'logs: no credential, tax id, address, name, account or meter number, EIC, plate, VIN or cadastral number, and no body field, in any line',
  ]],
];

describe('partner conformance', () => {
  it.concurrent.each(enabled)('%s conforms to the adapter contract against its emulator', async (id) => {
    const report = await checkAgainstEmulator(id);
    expect(failedChecks(report)).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it.concurrent.each(BROKEN)('fails exactly the broken checks of an adapter that %s', async (_what, adapter, failed) => {
    const report = await checkAgainstEmulator('heating-kryvyi-rih', adapter);
    expect(failedChecks(report)).toEqual(failed);
  }, RUN_TIMEOUT_MS);

  it('reports what was expected and what came back, without personal data', async () => {
    const report = await checkAgainstEmulator('heating-kryvyi-rih', BROKEN[0][1]);
    const text = formatReport(report);
    expect(text).toContain(
      '✗ batch: accountsByTaxIds gives one result per key, in key order (customer, stranger, customer, repeat)\n'
      + '      expected 4 results: accounts for each customer, [] for the stranger, the repeat equal to the first; '
      + 'got [1 account, 2 accounts, [], 1 account] (results[1] (the stranger) is 2 accounts; results[2] (customer 2) is [])',
    );
    expect(text).toMatch(/\n\d+ checks passed, 4 failed, 2 not run$/);
    for (const taxId of DEMO_TAX_IDS) expect(text).not.toContain(taxId);
  }, RUN_TIMEOUT_MS);
});
