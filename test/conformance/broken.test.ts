import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyAdapterDefinition } from '../../adapters/core/define-adapter.js';
import type { BatchResult, CallContext, UtilityOperations } from '../../adapters/core/contract.js';
import type { PartnerHttp } from '../../adapters/core/http.js';
import type { Bill, Tariff, UtilityAccount } from '../../domain/model.js';
import type { Money } from '../../domain/money.js';
import { ViknoError } from '../../domain/errors.js';
import { failedChecks, formatReport } from '../../adapters/conformance/index.js';
import { DEMO_TAX_IDS } from '../../emulators/population/index.js';
import type { PartnerEntry } from '../../domain/memorandum.js';
import { ADAPTERS, checkAgainstEmulator, RUN_TIMEOUT_MS } from './harness.js';

/**
 * Adapters broken as careless integrators break them, one fault each: the suite must fail exactly
 * the checks that fault breaks, and say what it expected and what came.
 */

type Ops = UtilityOperations<UtilityAccount>;
type Context = Parameters<AnyAdapterDefinition['create']>[0];

/** An adapter with some of its operations replaced, or its definition changed. */
function broken(partner: string, change: (ops: Ops, context: Context) => Partial<Ops>, definition: Partial<AnyAdapterDefinition> = {}): AnyAdapterDefinition {
  const real = ADAPTERS[partner];
  return {
    ...real,
    ...definition,
    create(context) {
      const ops = real.create(context) as unknown as Ops;
      return { ...ops, ...change(ops, context) } as never;
    },
  } as AnyAdapterDefinition;
}

/** The accounts of every key changed by `each`. */
const eachAccount = (ops: Ops, each: (a: UtilityAccount) => UtilityAccount) => ({
  accountsByTaxIds: async (keys: readonly string[], call: CallContext) =>
    (await ops.accountsByTaxIds(keys, call)).map((r) => (r instanceof Error ? r : r.map(each))),
});

const money = (m: Money, f: (n: number) => number): Money => ({ ...m, minorUnits: f(m.minorUnits) });
const bills = (a: UtilityAccount, f: (n: number) => number): Bill[] => a.bills.map((b) => ({
  ...b, openingBalance: money(b.openingBalance, f), accrued: money(b.accrued, f), paid: money(b.paid, f), toPay: money(b.toPay, f),
}));
const scaled = (f: (n: number) => number) => (a: UtilityAccount) => ({ ...a, balance: money(a.balance, f), bills: bills(a, f) } as UtilityAccount);

/** Swaps the prices of a tariff's first two components (energy and transport). */
const swapPrices = (t: Tariff): Tariff => (t.components.length < 2 ? t : {
  ...t, components: [{ ...t.components[0], price: t.components[1].price }, { ...t.components[1], price: t.components[0].price }, ...t.components.slice(2)],
});

/** Errors whose message says HTTP `status` read as "no records". */
const statusAsEmpty = (status: RegExp) => (ops: Ops) => ({
  accountsByTaxIds: async (keys: readonly string[], call: CallContext) =>
    (await ops.accountsByTaxIds(keys, call)).map((r) => (r instanceof ViknoError && status.test(r.message) ? [] : r)),
});

/** Keeps every outcome of tariffs() for ever, a failure too. */
const tariffsKeptForEver = (ops: Ops) => {
  let kept: Promise<Tariff[]> | undefined;
  return { tariffs: (call: CallContext) => (kept ??= ops.tariffs(call).catch((error: unknown) => { throw error; })) };
};

/** Keeps a person's accounts in the adapter's cache, with `ttl` and a LIVE mark of the time served. */
const keepsRecords = (ttl: (context: Context) => number) => (ops: Ops, context: Context) => ({
  accountsByTaxIds: (keys: readonly string[], call: CallContext) => Promise.all(keys.map(async (key, i) => {
    const { value } = await context.cache.getOrLoad(`records:${i}:${key.slice(-3)}`, ttl(context), async () => {
      const [result] = await ops.accountsByTaxIds([key], call);
      if (result instanceof Error) throw result;
      return result;
    }).catch((error: Error) => ({ value: error }));
    if (value instanceof Error) return value;
    return value.map((a) => ({ ...a, source: { ...a.source, freshness: 'LIVE', fetchedAt: context.clock.now().toISOString() } }));
  })) as Promise<BatchResult<UtilityAccount[]>>,
});

/** Every call marked idempotent: an extract issuance retried. */
const retriesEverything = (http: PartnerHttp): PartnerHttp => ({ ...http, request: (op, request) => http.request(op, { ...request, idempotent: true }) });

const [first, second] = DEMO_TAX_IDS;
const LOCAL_DATES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'local-dates-adapter.ts');

const RECORDS = "records: each customer's accounts equal the expected ones, field by field";
const SHUFFLED = 'batch: each key gets the same accounts alone and in shuffled batches with strangers and repeats';
const IN_KEY_ORDER = 'batch: accountsByTaxIds gives one result per key, in key order (customer, stranger, customer, repeat)';
const KEPT_AS_LIVE = 'over time: an adapter that keeps answers itself marks them CACHED with the first fetchedAt (never as LIVE)';
const FAILURE_KEPT = 'over time: a failure is never kept: once the partner answers again, so does the adapter';

const CASES: ReadonlyArray<{
  what: string; partner: string; adapter: () => AnyAdapterDefinition; module?: string; entry?: Partial<PartnerEntry['connection']>; failed: string[];
}> = [
  { what: 'flips the sign of every amount', partner: 'heating-kryvyi-rih', adapter: () => broken('heating-kryvyi-rih', (ops) => eachAccount(ops, scaled((n) => -n))), failed: [RECORDS] },
  { what: 'reads kopiyky as hryvnias (×100)', partner: 'gas-kryvyi-rih', adapter: () => broken('gas-kryvyi-rih', (ops) => eachAccount(ops, scaled((n) => n * 100))), failed: [RECORDS] },
  { what: 'swaps ACTIVE and DISCONNECTED', partner: 'water-kryvyi-rih', adapter: () => broken('water-kryvyi-rih', (ops) => eachAccount(ops, (a) => ({ ...a, status: a.status === 'ACTIVE' ? 'DISCONNECTED' : 'ACTIVE' }))), failed: [RECORDS] },
  { what: 'drops the last page of bills', partner: 'water-kryvyi-rih', adapter: () => broken('water-kryvyi-rih', (ops) => eachAccount(ops, (a) => ({ ...a, bills: a.bills.slice(0, -2) }))), failed: [RECORDS] },
  { what: 'swaps two tariff components', partner: 'heating-kryvyi-rih', adapter: () => broken('heating-kryvyi-rih', (ops) => ({
    tariffs: async (call) => (await ops.tariffs(call)).map(swapPrices),
    ...eachAccount(ops, (a) => ({ ...a, tariff: swapPrices(a.tariff) })),
  })), failed: ['tariffs: equal the expected ones, component by component'] },
  { what: 'lists readings oldest first', partner: 'gas-vinnytsia', adapter: () => broken('gas-vinnytsia', (ops) => eachAccount(ops, (a) => ({ ...a, readings: [...a.readings].reverse() }))), failed: [RECORDS] },
  { what: "maps the partner's unordered answer by position", partner: 'housing-kryvyi-rih', adapter: () => broken('housing-kryvyi-rih', (ops) => ({
    accountsByTaxIds: async (keys, call) => ops.accountsByTaxIds([...keys].sort(), call),
  })), failed: [IN_KEY_ORDER, RECORDS, SHUFFLED] },
  { what: "puts another person's account under a customer", partner: 'gas-kryvyi-rih', adapter: () => broken('gas-kryvyi-rih', (ops) => ({
    accountsByTaxIds: async (keys, call) => {
      const results = await ops.accountsByTaxIds(keys, call);
      if (!keys.includes(first)) return results;
      const other = (await ops.accountsByTaxIds([second], call))[0];
      return results.map((r, i) => (keys[i] === first && Array.isArray(r) && Array.isArray(other) ? [...r, other[0]] : r));
    },
  })), failed: [RECORDS] },
  { what: 'keeps a failed tariffs() call for ever', partner: 'water-kryvyi-rih', adapter: () => broken('water-kryvyi-rih', tariffsKeptForEver), failed: ['over time: tariffs are asked again after their lifetime (3600 s)', FAILURE_KEPT] },
  { what: 'keeps records with no expiry', partner: 'heating-kryvyi-rih', adapter: () => broken('heating-kryvyi-rih', keepsRecords(() => 0)), failed: [KEPT_AS_LIVE, 'over time: records are CACHED (first fetchedAt) within their lifetime (60 s) and asked again after it', 'over time: when the partner fails after the lifetime, the kept records come back STALE with their fetchedAt'] },
  { what: 'serves records it keeps as LIVE with a new fetchedAt', partner: 'heating-kryvyi-rih', adapter: () => broken('heating-kryvyi-rih', keepsRecords((c) => c.ttlMs.records)), failed: [KEPT_AS_LIVE] },
  { what: 'retries an extract issuance', partner: 'vehicles-mvs', adapter: () => {
    const real = ADAPTERS['vehicles-mvs'];
    return { ...real, create: (context) => real.create({ ...context, http: retriesEverything(context.http) } as never) } as AnyAdapterDefinition;
  }, failed: ['requests: registrationExtract issues with exactly one request, even on HTTP 503 (never retried)'] },
  // The adapter's batches of 20 against a partner that takes 10 (its memorandum entry says so).
  { what: 'sends more tax ids in a call than the partner takes', partner: 'housing-kryvyi-rih', adapter: () => ADAPTERS['housing-kryvyi-rih'], entry: { maxBatch: 10 }, failed: ["requests: no call carries more tax ids than the memorandum's maxBatch (10)"] },
  { what: 'does not retry a 429', partner: 'gas-kryvyi-rih', adapter: () => broken('gas-kryvyi-rih', () => ({}), { retryLimit: 0 }), failed: ['requests: one HTTP 429 with Retry-After: 1 is waited out, then the data comes (not an error)'] },
  { what: 'reads HTTP 502 and 504 as "no records"', partner: 'electricity-kryvyi-rih', adapter: () => broken('electricity-kryvyi-rih', statusAsEmpty(/HTTP 50[24]/)), failed: ['errors: accountsByTaxIds on HTTP 502 → PARTNER_UNAVAILABLE', 'errors: accountsByTaxIds on HTTP 504 → PARTNER_UNAVAILABLE'] },
  { what: 'reads HTTP 401 and 403 as "no records"', partner: 'gas-vinnytsia', adapter: () => broken('gas-vinnytsia', statusAsEmpty(/HTTP 40[13]/)), failed: ['errors: accountsByTaxIds on HTTP 401 (credentials refused) → PARTNER_UNAVAILABLE', 'errors: accountsByTaxIds on HTTP 403 (credentials refused) → PARTNER_UNAVAILABLE'] },
  { what: 'names the VIN in an error', partner: 'vehicles-mvs', adapter: () => {
    const real = ADAPTERS['vehicles-mvs'];
    return { ...real, create(context) {
      const ops = real.create(context) as unknown as { registrationExtract(vin: string, call: CallContext): Promise<unknown> };
      return { ...ops, registrationExtract: (vin: string, call: CallContext) => ops.registrationExtract(vin, call).catch((error: Error) => {
        error.message = `${error.message} (VIN ${vin})`;
        throw error;
      }) } as never;
    } } as AnyAdapterDefinition;
  }, failed: ['errors: messages hold no credential, tax id, identifier or other personal data'] },
  { what: 'dates readings by local midnight', partner: 'heating-kryvyi-rih', adapter: () => ADAPTERS['heating-kryvyi-rih'], module: LOCAL_DATES, failed: ['time zones: the same accounts and tariffs in a process at UTC+14 (Pacific/Kiritimati) as here'] },
];

describe('the conformance suite against broken adapters', () => {
  it.concurrent.each(CASES)('fails exactly the checks an adapter that $what breaks', async ({ partner, adapter, module, entry, failed }) => {
    const definition = module ? ((await import(module)) as { default: AnyAdapterDefinition }).default : adapter();
    const report = await checkAgainstEmulator(partner, definition, module, entry);
    expect(failedChecks(report)).toEqual(failed);
  }, RUN_TIMEOUT_MS);

  it('says field by field what was expected and what came, with identifiers masked and no tax id', async () => {
    const report = await checkAgainstEmulator('gas-kryvyi-rih', broken('gas-kryvyi-rih', (ops) => eachAccount(ops, (a) => ({
      ...a, meterNumber: '00000000', balance: money(a.balance, (n) => -n),
    } as UtilityAccount))));
    const text = formatReport(report);
    expect(text).toMatch(/\n {6}expected the expected values; got customer 1, account 1\.meterNumber: expected ‹masked›, got ‹masked›; customer 1, account 1\.balance\.minorUnits: expected (\d+), got -\1; /);
    expect(text).toMatch(/\n\d+ checks passed, 2 failed, 2 not run$/);
    for (const taxId of DEMO_TAX_IDS) expect(text).not.toContain(taxId);
  }, RUN_TIMEOUT_MS);
});
