import type { GraphQLResponse } from '../helpers/stack.js';

/**
 * What the fault tests ask and expect: a small but real part of every domain field for one demo
 * citizen, and the answer a client should see when one partner (or two) cannot answer.
 */

export const TAX_ID = '2660404572';

export const FAULT_QUERY = `query FaultProbe($taxId: ID!) {
  citizen(taxId: $taxId) {
    taxId
    gasAccounts { accountNumber partner { id } source { freshness } }
    heatingAccounts { accountNumber source { freshness } }
    waterAccounts { accountNumber source { freshness } }
    electricityAccounts { accountNumber source { freshness } }
    landParcels { cadastralNumber source { freshness } }
    vehicles { vin source { freshness } }
  }
}`;

/** The Citizen field each partner's data appears in. */
export const FIELD_OF: Readonly<Record<string, string>> = {
  'gas-kryvyi-rih': 'gasAccounts',
  'gas-vinnytsia': 'gasAccounts',
  'heating-kryvyi-rih': 'heatingAccounts',
  'water-kryvyi-rih': 'waterAccounts',
  'electricity-kryvyi-rih': 'electricityAccounts',
  'cadastre-dzk': 'landParcels',
  'vehicles-mvs': 'vehicles',
};

export const PARTNER_IDS = Object.keys(FIELD_OF);

type Citizen = Record<string, unknown>;

export interface ExpectedError {
  message: string;
  code: 'PARTNER_UNAVAILABLE' | 'PARTNER_TIMEOUT';
}

/** The error a client sees for `partner`, as the gateway formats it. */
export function partnerError(partner: string, { message, code }: ExpectedError) {
  return { message, path: ['citizen', FIELD_OF[partner]], extensions: { code, partner, retryable: true } };
}

/**
 * The baseline answer with the sick partners' data gone: their field is null, except gas, where
 * the other company's accounts stay and only the sick one's drop out. Errors follow the partners'
 * order in the memorandum, as the subgraphs gather them.
 */
export function answerWithout(baseline: GraphQLResponse, sick: Readonly<Record<string, ExpectedError>>): GraphQLResponse {
  const citizen: Citizen = { ...(baseline.data!.citizen as Citizen) };
  for (const partner of Object.keys(sick)) {
    const field = FIELD_OF[partner];
    const kept = (citizen[field] as Array<{ partner?: { id: string } }> | null)?.filter((item) => item.partner && item.partner.id !== partner) ?? [];
    citizen[field] = kept.length > 0 ? kept : null;
  }
  const errors = PARTNER_IDS.filter((id) => sick[id]).map((id) => partnerError(id, sick[id]));
  return { data: { citizen }, errors };
}

/** Runs a request and measures how long its answer took (a measurement, not a wait). */
export async function timed<T>(request: () => Promise<T>): Promise<{ answer: T; ms: number }> {
  const started = performance.now();
  const answer = await request();
  return { answer, ms: performance.now() - started };
}

/** A scripted source of draws in [0, 1): the listed ones in order, then `rest` for ever. */
export function scripted(draws: readonly number[], rest = 0.99): () => number {
  let next = 0;
  return () => (next < draws.length ? draws[next++] : rest);
}
