import type { GraphQLResolveInfo } from 'graphql';
import type { BatchResult, CallContext } from '../../adapters/core/contract.js';
import type { Partner } from '../../adapters/core/partners.js';
import type { Domain } from '../../domain/model.js';
import type { SubgraphContext } from './context.js';
import { assertMayReadPerson, assertRecorded, assertScope } from './authorize.js';
import { gatherFromPartners } from './gather.js';
import { assertTaxId } from './tax-id.js';

/**
 * The `Citizen` resolvers of a domain subgraph: the entity reference (a well-formed tax id the
 * principal may read) and the domain's own field (the domain's scope, then every partner of the
 * domain asked through the request's batching loader). The subgraph puts `list` under its
 * declared field name, after typing both against its kind's generated types.
 */
export function citizenFieldResolvers<T>(
  domain: Domain,
  field: string,
  partners: readonly Partner[],
  listByOwners: (partner: Partner, taxIds: readonly string[], call: CallContext) => Promise<BatchResult<T[]>>,
) {
  return {
    reference: ({ taxId }: { taxId: string }, context: SubgraphContext) => {
      assertMayReadPerson(context, assertTaxId(taxId));
      return { taxId };
    },
    list: ({ taxId }: { taxId: string }, _: unknown, context: SubgraphContext, info: GraphQLResolveInfo) => {
      assertScope(context, domain);
      assertRecorded(context, taxId);
      return gatherFromPartners(partners, context, info, (p) =>
        context.loaders.get(p, field, (keys) => listByOwners(p, keys, context.call)).load(taxId));
    },
  };
}
