import type { Memorandum } from '../../domain/memorandum.js';
import { loadAdapters } from '../../adapters/registry.js';
import { DEFAULT_FAULTS, type Faults } from '../../emulators/kit/faults.js';
import type { RunningStack } from '../../stack/start-stack.js';
import { TEST_NOW, type GraphQLResponse } from '../helpers/stack.js';

/**
 * What the fault tests ask and expect: a small but real part of every domain field for one demo
 * citizen, and the answer a client should see when one partner (or two) cannot answer.
 */

export const TAX_ID = '2660404572';

export const FAULT_QUERY = `query FaultProbe($taxId: ID!) {
  citizen(taxId: $taxId) {
    taxId
    gasAccounts { accountNumber source { ...Source } }
    heatingAccounts { accountNumber source { ...Source } }
    waterAccounts { accountNumber source { ...Source } }
    electricityAccounts { accountNumber source { ...Source } }
    housingAccounts { accountNumber source { ...Source } }
    landParcels { cadastralNumber source { ...Source } }
    vehicles { vin source { ...Source } }
  }
}
fragment Source on Provenance { partner { id } freshness fetchedAt }`;

export interface Source {
  freshness: 'LIVE' | 'CACHED' | 'STALE';
  fetchedAt: string;
}

/** 2660404572's records, by field and partner (the same as test/fixtures/golden/overview-2660404572.json). */
const RECORDS: ReadonlyArray<{ field: string; key: string; partner: string; values: string[] }> = [
  { field: 'gasAccounts', key: 'accountNumber', partner: 'gas-kryvyi-rih', values: ['1226433935', '1297144473'] },
  { field: 'gasAccounts', key: 'accountNumber', partner: 'gas-vinnytsia', values: ['0500036102', '0500044021'] },
  { field: 'heatingAccounts', key: 'accountNumber', partner: 'heating-kryvyi-rih', values: ['4000000119', '4000000127'] },
  { field: 'waterAccounts', key: 'accountNumber', partner: 'water-kryvyi-rih', values: ['100337916', '100345835'] },
  { field: 'electricityAccounts', key: 'accountNumber', partner: 'electricity-kryvyi-rih', values: ['2000481286'] },
  { field: 'housingAccounts', key: 'accountNumber', partner: 'housing-kryvyi-rih', values: ['120000011'] },
  { field: 'landParcels', key: 'cadastralNumber', partner: 'cadastre-dzk', values: ['1211000000:02:015:0107', '1222083600:01:002:0315'] },
  { field: 'vehicles', key: 'vin', partner: 'vehicles-mvs', values: ['JTNB11HK1KU048213', 'SJNFAAZE0JU271930'] },
];

/** The whole answer with every partner answering, each partner's records with the source `sourceOf` gives. */
export function fullAnswer(sourceOf: (partner: string) => Source): GraphQLResponse {
  const citizen: Record<string, unknown[]> = {};
  for (const { field, key, partner, values } of RECORDS) {
    citizen[field] = [...(citizen[field] ?? []), ...values.map((value) => ({ [key]: value, source: { partner: { id: partner }, ...sourceOf(partner) } }))];
  }
  return { data: { citizen: { taxId: TAX_ID, ...citizen } } };
}

/** Every partner answering, live, on the test stack's fixed clock. */
export const BASELINE = fullAnswer(() => ({ freshness: 'LIVE', fetchedAt: TEST_NOW }));

/** The Citizen field each partner's data appears in, in the memorandum's order. */
export const FIELD_OF: Readonly<Record<string, string>> = {
  'gas-kryvyi-rih': 'gasAccounts',
  'heating-kryvyi-rih': 'heatingAccounts',
  'water-kryvyi-rih': 'waterAccounts',
  'electricity-kryvyi-rih': 'electricityAccounts',
  'cadastre-dzk': 'landParcels',
  'vehicles-mvs': 'vehicles',
  'gas-vinnytsia': 'gasAccounts',
  'housing-kryvyi-rih': 'housingAccounts',
};

export const PARTNER_IDS = Object.keys(FIELD_OF);

/** The call that lists the citizen's records: the first (and, when it fails, the only kind of) call a partner gets. */
export const LISTING_CALL: Readonly<Record<string, string>> = {
  'gas-kryvyi-rih': 'batchLookup',
  'heating-kryvyi-rih': 'FindAccountsByTaxId',
  'water-kryvyi-rih': 'accounts',
  'electricity-kryvyi-rih': 'meteringPoints',
  'cadastre-dzk': 'parcelsByOwner',
  'vehicles-mvs': 'registrationsByOwner',
  'gas-vinnytsia': 'abonents',
  'housing-kryvyi-rih': 'abonents',
};

export interface ExpectedError {
  code: 'PARTNER_UNAVAILABLE' | 'PARTNER_TIMEOUT';
  message: string;
}

type Citizen = Record<string, unknown>;

/**
 * The baseline answer with the sick partners' data gone: their field is null, except gas, where
 * the other company's accounts stay and only the sick one's drop out, with its error beside them.
 */
export function answerWithout(sick: Readonly<Record<string, ExpectedError>>, healthy: GraphQLResponse = BASELINE): GraphQLResponse {
  const citizen: Citizen = { ...(healthy.data!.citizen as Citizen) };
  for (const partner of Object.keys(sick)) {
    const field = FIELD_OF[partner];
    const kept = (citizen[field] as Array<{ source: { partner: { id: string } } }> | null)?.filter((item) => item.source.partner.id !== partner) ?? [];
    citizen[field] = kept.length > 0 ? kept : null;
  }
  const errors = PARTNER_IDS.filter((id) => sick[id]).map((partner) => ({
    message: sick[partner].message,
    path: ['citizen', FIELD_OF[partner]],
    extensions: { code: sick[partner].code, partner, retryable: true },
  }));
  return { data: { citizen }, errors };
}

/** The answer with its errors in the memorandum's order (subgraphs answer in whatever order they finish). */
export function inPartnerOrder(answer: GraphQLResponse): GraphQLResponse {
  if (!answer.errors) return answer;
  const rank = (e: { extensions?: Record<string, unknown> }) => PARTNER_IDS.indexOf(String(e.extensions?.partner));
  return { ...answer, errors: [...answer.errors].sort((a, b) => rank(a) - rank(b)) };
}

/** Runs a request and measures how long its answer took (a measurement, not a wait). */
export async function timed<T>(request: () => Promise<T>): Promise<{ answer: T; ms: number }> {
  const started = performance.now();
  const answer = await request();
  return { answer, ms: performance.now() - started };
}

/** Runs `run` with these emulators' faults on, then switches every fault off again, whatever happened. */
export async function withFaults<T>(stack: RunningStack, faults: Readonly<Record<string, Partial<Faults>>>, run: () => Promise<T>): Promise<T> {
  for (const [id, patch] of Object.entries(faults)) stack.emulators.get(id)!.emulator.setFaults(patch);
  try {
    return await run();
  } finally {
    for (const id of Object.keys(faults)) stack.emulators.get(id)!.emulator.setFaults(DEFAULT_FAULTS);
  }
}

/** Each partner's calls by operation since the last reset. */
export function callsByOperation(stack: RunningStack): Record<string, Record<string, number>> {
  return Object.fromEntries([...stack.emulators].map(([id, { emulator }]) => [id, { ...emulator.stats.byOperation }]));
}

/** Retries the policy allows each partner after a transient failure: the memorandum's, else its adapter's, else 2 (partners.ts). */
export async function retriesOf(memorandum: Memorandum): Promise<Record<string, number>> {
  const adapters = await loadAdapters(memorandum);
  return Object.fromEntries(memorandum.partners.map((p) => [p.id, p.connection.retries ?? adapters[p.adapter]?.retryLimit ?? 2]));
}

/** Draws in [0, 1) for an emulator's fault rates, played from a script: the listed draws, then `rest` for ever. */
export function createScript(rest = 0.99): { random: () => number; play(draws: readonly number[]): void } {
  const queue: number[] = [];
  return { random: () => queue.shift() ?? rest, play: (draws) => void queue.splice(0, queue.length, ...draws) };
}
