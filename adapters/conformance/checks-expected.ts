import { isDeepStrictEqual } from 'node:util';
import type { PassData } from './checks-batch.js';
import { describeBatch, describeDetailed, settle } from './describe.js';
import { differences, recordDifferences, type ExpectedData } from './expected.js';
import { fail, pass, type Session } from './session.js';

const MAX_LISTED = 6;

function listed(found: readonly string[]): string {
  const shown = found.slice(0, MAX_LISTED).join('; ');
  return found.length > MAX_LISTED ? `${shown}; and ${found.length - MAX_LISTED} more` : shown;
}

/** An item without its provenance (fetchedAt, freshness), for comparing answers given at different times. */
export function withoutSource(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSource);
  if (value instanceof Error) return value;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'source').map(([k, v]) => [k, withoutSource(v)]));
  }
  return value;
}

function customerName(s: Session, taxId: string): string {
  return taxId === s.keys.stranger ? 'the stranger' : `customer ${s.keys.customers.indexOf(taxId) + 1}`;
}

/**
 * The right answers: each customer's records (from the batch) equal the expected ones field by
 * field, the stranger has none, and a utility's tariffs equal the expected tariffs.
 */
export function checkExpected(s: Session, data: PassData, expected: ExpectedData): void {
  const name = `records: each customer's ${s.probe.noun}s equal the expected ones, field by field`;
  if (data.results === null) {
    s.add(fail(name, `${s.probe.noun}s of the customers to compare`, 'none (see the batch check)'));
  } else {
    const found: string[] = [];
    s.keys.batch.forEach((taxId, i) => {
      if (i === s.keys.batch.length - 1) return; // the repeat: the batch check compares it with the first
      const want = taxId === s.keys.stranger ? [] : expected.records[taxId];
      if (want === undefined) return;
      found.push(...recordDifferences(want, data.results![i], customerName(s, taxId), s.probe.noun));
    });
    const missing = s.keys.customers.filter((taxId) => expected.records[taxId] === undefined).length;
    if (missing === s.keys.customers.length) s.add(fail(name, 'expected records for the customers', 'none given for any of them'));
    else s.add(found.length === 0 ? pass(name) : fail(name, 'the expected values', listed(found)));
  }
  if (!s.probe.isUtility || !expected.tariffs) return;
  const tariffsName = 'tariffs: equal the expected ones, component by component';
  if (!data.single) s.add(fail(tariffsName, 'tariffs to compare', 'tariffs() gave none (see its check)'));
  else {
    const found = differences(expected.tariffs, data.single.value, 'tariffs', 'tariffs');
    s.add(found.length === 0 ? pass(tariffsName) : fail(tariffsName, 'the expected tariffs', listed(found)));
  }
}

/** A seeded shuffle (mulberry32), so a failing order can be run again. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Batches the suite asks besides the first: customers and strangers, repeated, in seeded orders. */
export function shuffledBatches(s: Session, seeds: readonly number[] = [1, 2, 3]): string[][] {
  const { customers, stranger } = s.keys;
  const pool = [...customers, stranger, ...customers, ...customers.slice(0, 1)];
  return [[...customers].reverse(), ...seeds.map((seed) => shuffled(pool, seed))];
}

/**
 * Whose records are whose: each customer asked alone, then in shuffled batches with strangers and
 * repeats; every key of every batch must get exactly what it got alone (provenance aside). (The
 * records check compares the answers with the expected ones.)
 */
export async function checkShuffledBatches(s: Session): Promise<void> {
  const name = `batch: each key gets the same ${s.probe.noun}s alone and in shuffled batches with strangers and repeats`;
  const ops = s.adapterFor({ kind: 'pass' });
  const alone = new Map<string, unknown>();
  const found: string[] = [];
  for (const taxId of [...s.keys.customers, s.keys.stranger]) {
    const outcome = await settle(() => s.probe.batch(ops, [taxId], s.call));
    const result = outcome.ok && Array.isArray(outcome.value) && outcome.value.length === 1 ? outcome.value[0] : undefined;
    if (result === undefined || result instanceof Error || !Array.isArray(result)) {
      if (result instanceof Error) s.errors.push(result);
      found.push(`${customerName(s, taxId)} alone: got ${outcome.ok ? describeBatch(outcome.value, s.partnerId, s.probe.noun) : `a rejection with ${describeDetailed(outcome.error, s.partnerId)}`}`);
      continue;
    }
    alone.set(taxId, withoutSource(result));
  }
  for (const batch of shuffledBatches(s)) {
    const order = batch.map((taxId) => customerName(s, taxId).replace('customer ', '#')).join(', ');
    const outcome = await settle(() => s.probe.batch(ops, batch, s.call));
    if (!outcome.ok || !Array.isArray(outcome.value) || outcome.value.length !== batch.length) {
      if (!outcome.ok) s.errors.push(outcome.error);
      found.push(`batch [${order}]: got ${outcome.ok ? describeBatch(outcome.value, s.partnerId, s.probe.noun) : `a rejection with ${describeDetailed(outcome.error, s.partnerId)}`}`);
      continue;
    }
    const wrong = batch.flatMap((taxId, i) => {
      const result = outcome.value as unknown[];
      if (result[i] instanceof Error) s.errors.push(result[i]);
      if (!alone.has(taxId)) return [];
      return isDeepStrictEqual(withoutSource(result[i]), alone.get(taxId))
        ? []
        : [`results[${i}] (${customerName(s, taxId)}) is ${describeDetailed(result[i], s.partnerId, s.probe.noun)}, not what it got alone`];
    });
    if (wrong.length) found.push(`batch [${order}]: ${wrong.join(', ')}`);
  }
  s.add(found.length === 0 ? pass(name) : fail(name, 'every key the same answer as alone', listed(found)));
}
