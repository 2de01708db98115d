import type { Partner } from '../../adapters/core/partners.js';
import type { Money } from '../../domain/money.js';
import { formatMinorUnits } from '../../domain/money.js';
import type { PartnerRef, Provenance } from '../../domain/model.js';
import { BadUserInputError } from '../../domain/errors.js';
import type { Resolvers } from './create-subgraph.js';

/** Partner refs by id, for resolving `partner` fields from the ids adapters put on objects. */
export function partnerDirectory(partners: readonly Partner[]): (id: string) => PartnerRef {
  const byId = new Map(partners.map((p) => [p.ref.id, p.ref]));
  return (id) => byId.get(id) ?? { id, name: id };
}

/** Resolvers of the shared partner-data types (schema/shared/partner-data.graphql). */
export function partnerDataResolvers(partners: readonly Partner[]): Resolvers {
  const partnerOf = partnerDirectory(partners);
  const known = new Set(partners.map((p) => p.ref.id));
  return {
    Partner: { __resolveReference: ({ id }: { id: string }) => (known.has(id) ? partnerOf(id) : null) },
    Provenance: { partner: (s: Provenance) => partnerOf(s.partnerId) },
    Money: { amount: (m: Money) => formatMinorUnits(m.minorUnits) },
  };
}

export const MAX_HISTORY = 120;

/** The `last: Int` argument of history lists: newest first, at most MAX_HISTORY. */
export function takeLast<T>(items: readonly T[], last: number): T[] {
  if (!Number.isInteger(last) || last < 0 || last > MAX_HISTORY) {
    throw new BadUserInputError(`last must be a whole number from 0 to ${MAX_HISTORY}`);
  }
  return items.slice(0, last);
}
