import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, type Memorandum } from '../../domain/memorandum.js';
import { declarationOf, DOMAINS, type Domain } from '../../domain/domains.js';
import { projectRoot } from '../../domain/project-root.js';
import { EMULATORS } from '../../emulators/registry.js';
import { loadAdapters } from '../../adapters/registry.js';
import { retriesOf as partnerRetries } from '../../adapters/core/partners.js';
import { DEFAULT_FAULTS, type Faults } from '../../emulators/kit/faults.js';
import type { RunningStack } from '../../stack/start-stack.js';
import { TEST_NOW, type GraphQLResponse } from '../helpers/stack.js';

/**
 * What the fault tests ask and expect: a small but real part of every domain field for one demo
 * citizen, and the answer a client should see when one partner (or two) cannot answer.
 */

export const TAX_ID = '2660404572';

/** The memorandum as checked in: the partners the fault tests are about. */
const MEMORANDUM = await loadMemorandum(DEFAULT_MEMORANDUM_FILE);

/**
 * The partners the fault tests run against, in the memorandum's order: the enabled ones that have an
 * emulator. An enabled partner without one (a real partner's live URL) is reached at its baseUrl and
 * is no part of these tests; a disabled (scaffolded) entry is no part of the stack at all.
 */
export const emulatedPartnerIds = (memorandum: Memorandum): string[] =>
  memorandum.partners.filter((p) => p.enabled && Object.hasOwn(EMULATORS, p.id)).map((p) => p.id);

export const PARTNER_IDS: readonly string[] = emulatedPartnerIds(MEMORANDUM);

/** The key of one item of a domain's Citizen field: a utility's account number, a registry's extract subject. */
export const itemKeyOf = (domain: Domain): string => {
  const declaration = declarationOf(domain);
  return declaration.kind === 'utility' ? 'accountNumber' : declaration.extractSubject;
};

/** The Citizen field each partner's data appears in (its domain's declared field), in the memorandum's order. */
export const FIELD_OF: Readonly<Record<string, string>> = Object.fromEntries(
  MEMORANDUM.partners.filter((p) => PARTNER_IDS.includes(p.id)).map((p) => [p.id, declarationOf(p.domain as Domain).citizenField]),
);

/** Every declared domain's Citizen field, with its item key and where the item came from. */
export const FAULT_QUERY = `query FaultProbe($taxId: ID!) {
  citizen(taxId: $taxId) {
    taxId
${DOMAINS.map((d) => `    ${declarationOf(d).citizenField} { ${itemKeyOf(d)} source { ...Source } }`).join('\n')}
  }
}
fragment Source on Provenance { partner { id } freshness fetchedAt }`;

export interface Source {
  freshness: 'LIVE' | 'CACHED' | 'STALE';
  fetchedAt: string;
}

/** The overview of 2660404572 as test/federation/overview.test.ts pins it: every domain's items with their partner. */
const GOLDEN = JSON.parse(readFileSync(path.join(projectRoot(), 'test', 'fixtures', 'golden', `overview-${TAX_ID}.json`), 'utf8')) as GraphQLResponse;

/** 2660404572's records, by field (in the golden answer's order): each item's key and partner. */
const RECORDS: ReadonlyArray<{ field: string; key: string; partner: string; value: string }> = DOMAINS.flatMap((domain) => {
  const field = declarationOf(domain).citizenField;
  const key = itemKeyOf(domain);
  const items = ((GOLDEN.data!.citizen as Record<string, unknown>)[field] ?? []) as Array<Record<string, unknown> & { partner: { id: string } }>;
  return items.map((item) => ({ field, key, partner: item.partner.id, value: String(item[key]) }));
});

/** The whole answer with every partner answering, each partner's records with the source `sourceOf` gives. */
export function fullAnswer(sourceOf: (partner: string) => Source): GraphQLResponse {
  const citizen: Record<string, unknown[] | null> = Object.fromEntries(DOMAINS.map((d) => [declarationOf(d).citizenField, []]));
  for (const { field, key, partner, value } of RECORDS) {
    citizen[field] = [...(citizen[field] ?? []), { [key]: value, source: { partner: { id: partner }, ...sourceOf(partner) } }];
  }
  return { data: { citizen: { taxId: TAX_ID, ...citizen } } };
}

/** Every partner answering, live, on the test stack's fixed clock. */
export const BASELINE = fullAnswer(() => ({ freshness: 'LIVE', fetchedAt: TEST_NOW }));

/**
 * The emulator operation that lists a person's records: the first (and, when it fails, the only kind
 * of) call a partner gets. The emulators do not say which of their operations that is, so it is
 * written here, once per emulated partner.
 */
const LISTING_CALLS: Readonly<Record<string, string>> = {
  'gas-kryvyi-rih': 'batchLookup',
  'heating-kryvyi-rih': 'FindAccountsByTaxId',
  'water-kryvyi-rih': 'accounts',
  'electricity-kryvyi-rih': 'meteringPoints',
  'cadastre-dzk': 'parcelsByOwner',
  'vehicles-mvs': 'registrationsByOwner',
  'gas-vinnytsia': 'abonents',
  'housing-kryvyi-rih': 'abonents',
};

const unlisted = PARTNER_IDS.filter((id) => !Object.hasOwn(LISTING_CALLS, id));
if (unlisted.length > 0) {
  throw new Error(`test/faults/fault-query.ts: LISTING_CALLS has no entry for the emulated partner(s) ${unlisted.join(', ')}: `
    + 'add the emulator operation (a key of its stats.byOperation) that lists a person\'s records');
}

/** The listing call of each partner the fault tests run against. */
export const LISTING_CALL: Readonly<Record<string, string>> = Object.fromEntries(PARTNER_IDS.map((id) => [id, LISTING_CALLS[id]]));

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
  return Object.fromEntries(memorandum.partners.map((p) => [p.id, partnerRetries(p, adapters[p.adapter] ?? {})]));
}

/** Draws in [0, 1) for an emulator's fault rates, played from a script: the listed draws, then `rest` for ever. */
export function createScript(rest = 0.99): { random: () => number; play(draws: readonly number[]): void } {
  const queue: number[] = [];
  return { random: () => queue.shift() ?? rest, play: (draws) => void queue.splice(0, queue.length, ...draws) };
}
