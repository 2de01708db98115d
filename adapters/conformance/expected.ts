import { readFile } from 'node:fs/promises';
import { isRecord } from './validate.js';

/**
 * The right answers: per tax id the records an adapter must return (accounts, parcels, vehicles),
 * and for utilities the tariffs. Only the fields given are compared, so a partner writing them by
 * hand for a live system (adapters/<partner>/conformance.expected.json) gives what it knows. For an
 * emulated partner they come from the emulator's own records (emulators/expected.ts), never
 * through an adapter.
 */
export interface ExpectedData {
  records: Record<string, unknown[]>;
  tariffs?: unknown[];
}

/** Reads and checks a fixture file; a precise error when it is not one. */
export async function loadExpected(file: string): Promise<ExpectedData> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new TypeError(`${file}: cannot be read (${error.code ?? error.message})`);
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (!isRecord(data) || !isRecord(data.records)) throw new TypeError(`${file}: must be {"records": {"<tax id>": [ … ]}, "tariffs"?: [ … ]}`);
  for (const [taxId, list] of Object.entries(data.records)) {
    if (!Array.isArray(list)) throw new TypeError(`${file}: records["${taxId.slice(0, 2)}…"] must be a list of records`);
  }
  if (data.tariffs !== undefined && !Array.isArray(data.tariffs)) throw new TypeError(`${file}: tariffs must be a list`);
  return data as unknown as ExpectedData;
}

/**
 * Fields whose values the report may print: amounts, dates, codes, states. Every other value (an
 * account number, EIC, VIN, name, address) is shown as ‹masked›: only its path says which field differs.
 */
const SHOWN = new Set([
  'minorUnits', 'currency', 'amount', 'unit', 'period', 'takenOn', 'status', 'billingBasis', 'kind', 'zone', 'name', 'id', 'validFrom',
  'validTo', 'value', 'consumption', 'estimated', 'registeredOn', 'date', 'firstRegisteredOn', 'makeYear', 'valuationYear', 'areaHectares',
  'areaM2', 'hasLift', 'residents', 'zoneScheme', 'ownershipForm', 'share', 'operationCode', 'ownerKind', 'annualConsumptionM3',
  'heatedAreaM2', 'engineCapacityCm3', 'ownWeightKg', 'totalWeightKg', 'code', 'brand', 'hours',
]);

/** Lists whose items are matched by a key rather than by position, and the order they must come in. */
const KEYED: Readonly<Record<string, { key: (item: Record<string, unknown>) => string; newestFirst?: string }>> = {
  bills: { key: (b) => String(b.period), newestFirst: 'period' },
  readings: { key: (r) => `${String(r.takenOn)}${r.zone ? ` ${String(r.zone)}` : ''}`, newestFirst: 'takenOn' },
  tariffs: { key: (t) => String(t.id) },
  components: { key: (c) => `${String(c.kind)}${isRecord(c.zone) ? ` ${String(c.zone.name)}` : ''}` },
};

/** Which field names a record (account, parcel, vehicle): its identity, never printed. */
const IDENTITY = ['accountNumber', 'cadastralNumber', 'vin'];

export function identityOf(record: unknown): string | undefined {
  if (!isRecord(record)) return undefined;
  const field = IDENTITY.find((f) => typeof record[f] === 'string');
  return field ? String(record[field]) : undefined;
}

function show(field: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return SHOWN.has(field) ? JSON.stringify(value) : '‹masked›';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'an object';
}

/** "1.50" and "1.5" are the same price; anything else compares exactly. */
function sameLeaf(expected: unknown, got: unknown): boolean {
  if (typeof expected === 'string' && typeof got === 'string' && /^-?\d+(\.\d+)?$/.test(expected) && /^-?\d+(\.\d+)?$/.test(got)) {
    const norm = (s: string) => s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
    return norm(expected) === norm(got);
  }
  return Object.is(expected, got);
}

/** Every difference between what was expected and what came, as `path: expected X, got Y`. */
export function differences(expected: unknown, got: unknown, path: string, field = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(got)) return [`${path}: expected a list of ${expected.length}, got ${show(field, got)}`];
    const keyed = KEYED[field];
    if (!keyed || !expected.every(isRecord) || !got.every(isRecord)) {
      if (expected.length !== got.length) return [`${path}: expected ${expected.length} items, got ${got.length}`];
      return expected.flatMap((item, i) => differences(item, got[i], `${path}[${i}]`, field));
    }
    const out: string[] = [];
    const byKey = new Map(got.map((item) => [keyed.key(item as Record<string, unknown>), item]));
    const wanted = new Set<string>();
    if (expected.length !== got.length) out.push(`${path}: expected ${expected.length} items, got ${got.length}`);
    for (const item of expected as Record<string, unknown>[]) {
      const key = keyed.key(item);
      wanted.add(key);
      const match = byKey.get(key);
      if (match === undefined) out.push(`${path}[${key}]: expected, got none`);
      else out.push(...differences(item, match, `${path}[${key}]`, field));
    }
    for (const key of byKey.keys()) if (!wanted.has(key)) out.push(`${path}[${key}]: not expected, got one`);
    if (keyed.newestFirst) {
      const order = got.map((item) => String((item as Record<string, unknown>)[keyed.newestFirst!]));
      if (order.some((v, i) => i > 0 && v > order[i - 1])) out.push(`${path}: expected newest first (by ${keyed.newestFirst}), got another order`);
    }
    return out;
  }
  if (isRecord(expected)) {
    if (!isRecord(got)) return [`${path}: expected an object, got ${show(field, got)}`];
    return Object.entries(expected).flatMap(([key, value]) => differences(value, got[key], `${path}.${key}`, key));
  }
  return sameLeaf(expected, got) ? [] : [`${path}: expected ${show(field, expected)}, got ${show(field, got)}`];
}

/**
 * One customer's records against the expected ones: matched by identity (account number, cadastral
 * number, VIN), so order does not matter; a missing record and one that is not theirs (a stranger's
 * account under them) are differences too. `where` names the customer ("customer 1").
 */
export function recordDifferences(expected: readonly unknown[], got: unknown, where: string, noun: string): string[] {
  if (!Array.isArray(got)) return [`${where}: expected ${expected.length} ${noun}s, got ${show('', got)}`];
  const out: string[] = [];
  const gotById = new Map(got.map((item) => [identityOf(item), item]));
  const expectedIds = new Set(expected.map(identityOf));
  if (expected.length !== got.length) out.push(`${where}: expected ${expected.length} ${noun}s, got ${got.length}`);
  expected.forEach((item, i) => {
    const at = `${where}, ${noun} ${i + 1}`;
    const id = identityOf(item);
    const match = id === undefined ? got[i] : gotById.get(id);
    if (match === undefined) out.push(`${at}: expected, got none with its number`);
    else out.push(...differences(item, match, at));
  });
  got.forEach((item) => {
    const id = identityOf(item);
    if (id !== undefined && !expectedIds.has(id) && expected.some((e) => identityOf(e) !== undefined)) {
      out.push(`${where}: one of the ${noun}s that came is not theirs (its number is not among the expected)`);
    }
  });
  return out;
}
