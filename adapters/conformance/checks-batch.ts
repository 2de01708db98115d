import { isDeepStrictEqual } from 'node:util';
import type { Tariff } from '../../domain/model.js';
import { describeBatch, describeDetailed, isCatalogued, settle } from './describe.js';
import { fail, pass, type Session } from './session.js';

/** What a healthy partner answered, for the data checks. */
export interface PassData {
  /** Items of the customers (the repeated key left out), with where each is in the report's terms. */
  items: Array<{ where: string; item: unknown }>;
  /** What tariffs() returned, for utilities; null when it failed or the domain has none. */
  tariffs: Tariff[] | null;
  /** The first item, whose extract the registries are asked for. */
  firstItem: unknown;
  /** What the other operation (tariffs, extract) resolved with, if it did. */
  single: { value: unknown } | null;
  /** The batch's results by key (s.keys.batch), when it resolved to one result per key. */
  results: unknown[] | null;
}

function role(s: Session, index: number): string {
  const { batch, customers } = s.keys;
  if (index === batch.length - 1) return 'the repeated first customer';
  if (batch[index] === s.keys.stranger) return 'the stranger';
  return `customer ${customers.indexOf(batch[index]) + 1}`;
}

/** Check 1: one result per key, in key order; customers have items, the stranger none, a repeat the same. */
export async function checkBatchOrder(s: Session): Promise<PassData> {
  const name = `batch: ${s.probe.batchOp} gives one result per key, in key order (customer, stranger, customer, repeat)`;
  const data: PassData = { items: [], tariffs: null, firstItem: undefined, single: null, results: null };
  const ops = s.adapterFor({ kind: 'pass' });
  const expected = `${s.keys.batch.length} results: ${s.probe.noun}s for each customer, [] for the stranger, the repeat equal to the first`;
  const outcome = await settle(() => s.probe.batch(ops, s.keys.batch, s.call));
  if (!outcome.ok) {
    s.errors.push(outcome.error);
    s.add(fail(name, expected, `the operation rejected with ${describeDetailed(outcome.error, s.partnerId)}`));
  } else {
    const results = outcome.value;
    const wrong: string[] = [];
    if (!Array.isArray(results) || results.length !== s.keys.batch.length) wrong.push('a different number of results');
    else {
      data.results = results;
      results.forEach((result, i) => {
        if (result instanceof Error) s.errors.push(result);
        const isStranger = s.keys.batch[i] === s.keys.stranger;
        const isRepeat = i === results.length - 1;
        const ok = isRepeat ? isDeepStrictEqual(result, results[0])
          : isStranger ? Array.isArray(result) && result.length === 0
            : Array.isArray(result) && result.length > 0;
        if (!ok) wrong.push(`results[${i}] (${role(s, i)}) is ${describeDetailed(result, s.partnerId, s.probe.noun)}`);
      });
      results.slice(0, -1).forEach((result, i) => {
        if (s.keys.batch[i] === s.keys.stranger || !Array.isArray(result)) return;
        result.forEach((item, j) => data.items.push({ where: `${role(s, i)}, ${s.probe.noun} ${j + 1}`, item }));
      });
    }
    for (const { item } of data.items) for (const value of s.probe.personalValues(item)) s.personal.add(value);
    s.add(wrong.length === 0 ? pass(name) : fail(name, expected, `${describeBatch(results, s.partnerId, s.probe.noun)} (${wrong.join('; ')})`));
  }

  data.firstItem = data.items[0]?.item;
  const singleName = `${s.probe.singleOp}: answers when the partner is healthy`;
  if (s.probe.needsItem && data.firstItem === undefined) {
    s.add(fail(singleName, `a ${s.probe.noun} from ${s.probe.batchOp} to ask about`, 'none'));
    return data;
  }
  const single = await settle(() => s.probe.single(ops, s.call, data.firstItem));
  if (single.ok) {
    data.single = { value: single.value };
    if (s.probe.isUtility && Array.isArray(single.value)) data.tariffs = single.value as Tariff[];
    s.add(pass(singleName));
  } else {
    s.errors.push(single.error);
    s.add(fail(singleName, 'an answer', `a rejection with ${describeDetailed(single.error, s.partnerId)}`));
  }
  return data;
}

/**
 * Check 2: the partner fails every call that carries the first customer. A one-key adapter still
 * serves the others; a batch adapter gives every key of the failed call a catalogued error
 * (never an empty list that would read as "no records").
 */
export async function checkFailingKey(s: Session): Promise<void> {
  const [first] = s.keys.customers;
  const unique = new Set(s.keys.batch).size;
  const oneCall = s.maxBatchSize > 1 && unique <= s.maxBatchSize;
  const name = oneCall
    ? `batch: a failed call gives every key in it a catalogued error (not [])`
    : `batch: a key whose call fails gets a catalogued error; the other keys get their data`;
  const ops = s.adapterFor({ kind: 'failKey', key: first });
  const outcome = await settle(() => s.probe.batch(ops, s.keys.batch, s.call));
  if (!outcome.ok) {
    s.errors.push(outcome.error);
    const expected = oneCall ? 'an array holding a catalogued Error for each key (the batch rule of contract.ts)' : 'per-key results';
    s.add(fail(name, expected, `the operation rejected with ${describeDetailed(outcome.error, s.partnerId)} instead of resolving`));
    return;
  }
  const results = outcome.value;
  const wrong: string[] = [];
  if (!Array.isArray(results) || results.length !== s.keys.batch.length) wrong.push('a different number of results');
  else {
    results.forEach((result, i) => {
      if (result instanceof Error) s.errors.push(result);
      const key = s.keys.batch[i];
      const failing = key === first || oneCall;
      const catalogued = isCatalogued(result, s.partnerId, 'PARTNER_UNAVAILABLE');
      const ok = failing ? catalogued
        : key === s.keys.stranger ? (Array.isArray(result) && result.length === 0) || (s.maxBatchSize > 1 && catalogued)
          : (Array.isArray(result) && result.length > 0) || (s.maxBatchSize > 1 && catalogued);
      if (!ok) wrong.push(`results[${i}] (${role(s, i)}) is ${describeDetailed(result, s.partnerId, s.probe.noun)}`);
    });
  }
  const expected = oneCall
    ? `PARTNER_UNAVAILABLE for each of the ${s.keys.batch.length} keys (HTTP 500 to the one call)`
    : `PARTNER_UNAVAILABLE for the failing customer, ${s.probe.noun}s for the other customers and [] for the stranger`;
  s.add(wrong.length === 0 ? pass(name) : fail(name, expected, `${describeBatch(results, s.partnerId, s.probe.noun)} (${wrong.join('; ')})`));
}
