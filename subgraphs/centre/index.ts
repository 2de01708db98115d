import { decodeRnokpp } from '../../domain/identifiers.js';
import type { Logger } from '../../adapters/core/logger.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import { assertTaxId } from '../kit/tax-id.js';

/**
 * The centre owns the entry points. It answers from the tax id alone, without calling any partner,
 * so the plan's first hop is cheap and a malformed tax id stops the query before any partner is asked.
 */
export function centreCitizen(taxId: string) {
  return { taxId: assertTaxId(taxId), ...decodeRnokpp(taxId) };
}

export function createCentreSubgraph(options: { log: Logger }): Promise<Subgraph> {
  return createSubgraph({
    name: 'centre',
    log: options.log,
    resolvers: {
      Query: { citizen: (_: unknown, { taxId }: { taxId: string }) => centreCitizen(taxId) },
      Citizen: { __resolveReference: ({ taxId }: { taxId: string }) => centreCitizen(taxId) },
    },
  });
}
