/**
 * The entities through which a registry extract is issued (schema/subgraphs/centre.graphql's
 * mutations). The centre resolves the mutation without asking any partner and returns one of them,
 * keyed by whose, which item and why; the registry's subgraph issues the extract when the gateway
 * fetches the entity from it. So the gateway learns whose document is issued, and why, from the
 * representation of that fetch (what runs, never the query text), and records the issuance before
 * it sends the fetch, as it records a look-up before a Citizen fetch.
 */
import { declarationOf, domainsOfKind, type Domain } from './domains.js';

/** Each registry's issuance entity, as its declaration (domain/domains.ts) names it: its domain and the item's key field. */
export const EXTRACT_ISSUANCES: Readonly<Record<string, { domain: Domain; item: string }>> = Object.fromEntries(
  domainsOfKind('registry').map((d) => {
    const declaration = declarationOf(d);
    if (declaration.kind !== 'registry') throw new TypeError(`${d}: not a registry`);
    return [declaration.issuanceType, { domain: d, item: declaration.extractSubject }];
  }),
);

export type IssuanceType = string;

export function isIssuanceType(type: unknown): type is IssuanceType {
  return typeof type === 'string' && Object.hasOwn(EXTRACT_ISSUANCES, type);
}

/** An issuance as its representation names it: the person, the item, and the purpose stated for it. */
export interface IssuanceRequest {
  taxId: string;
  item: string;
  purpose: string;
}
