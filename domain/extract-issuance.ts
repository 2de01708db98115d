/**
 * The entities through which a registry extract is issued (schema/subgraphs/centre.graphql's
 * mutations). The centre resolves the mutation without asking any partner and returns one of them,
 * keyed by whose, which item and why; the registry's subgraph issues the extract when the gateway
 * fetches the entity from it. So the gateway learns whose document is issued, and why, from the
 * representation of that fetch (what runs, never the query text), and records the issuance before
 * it sends the fetch, as it records a look-up before a Citizen fetch.
 */
export const EXTRACT_ISSUANCES = {
  ParcelExtractIssuance: { domain: 'cadastre', item: 'cadastralNumber' },
  VehicleExtractIssuance: { domain: 'vehicles', item: 'vin' },
} as const;

export type IssuanceType = keyof typeof EXTRACT_ISSUANCES;

export function isIssuanceType(type: unknown): type is IssuanceType {
  return typeof type === 'string' && Object.hasOwn(EXTRACT_ISSUANCES, type);
}

/** An issuance as its representation names it: the person, the item, and the purpose stated for it. */
export interface IssuanceRequest {
  taxId: string;
  item: string;
  purpose: string;
}
