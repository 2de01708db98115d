import type { Partner } from '../../adapters/core/partners.js';
import { formatMinorUnits } from '../../domain/money.js';
import type { PartnerRef } from '../../domain/model.js';
import { BadUserInputError } from '../../domain/errors.js';
import type { Resolvers } from './create-subgraph.js';
import type { Resolvers as KindResolvers } from '../generated/utility-kind.js';

/** Partner refs by id, for resolving `partner` fields from the ids adapters put on objects. */
export function partnerDirectory(partners: readonly Partner[]): (id: string) => PartnerRef {
  const byId = new Map(partners.map((p) => [p.ref.id, p.ref]));
  return (id) => byId.get(id) ?? { id, name: id };
}

/** Resolvers of the shared partner-data types (schema/shared/partner-data.graphql). */
export function partnerDataResolvers(partners: readonly Partner[]): Resolvers {
  const partnerOf = partnerDirectory(partners);
  const known = new Set(partners.map((p) => p.ref.id));
  // partner-data.graphql is shared by every domain's subgraph: typed by one kind's generated types.
  return {
    Partner: { __resolveReference: ({ id }) => (known.has(id) ? partnerOf(id) : null) },
    Provenance: { partner: (s) => partnerOf(s.partnerId) },
    Money: { amount: (m) => formatMinorUnits(m.minorUnits) },
  } satisfies Pick<KindResolvers, 'Partner' | 'Provenance' | 'Money'>;
}

export const MAX_HISTORY = 120;

export interface PageArgs {
  first: number;
  after?: string | null;
}

/**
 * A page of a history list the partner answered whole (readings, bills), newest first, as a Relay
 * connection. A cursor is the base64url of the item's own key (a bill's period, a reading's date,
 * meter and zone), not of its position, so a page asked after a newer item arrived still starts
 * after the item the client saw last.
 */
export function pageOf<T>(items: readonly T[], { first, after }: PageArgs, keyOf: (item: T) => string) {
  if (!Number.isInteger(first) || first < 0 || first > MAX_HISTORY) {
    throw new BadUserInputError(`first must be a whole number from 0 to ${MAX_HISTORY}`);
  }
  const cursorOf = (item: T) => Buffer.from(keyOf(item)).toString('base64url');
  let start = 0;
  if (after != null) {
    const at = items.findIndex((item) => cursorOf(item) === after);
    if (at < 0) throw new BadUserInputError('after: not a cursor of this list');
    start = at + 1;
  }
  const edges = items.slice(start, start + first).map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: start + edges.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: items.length,
  };
}
