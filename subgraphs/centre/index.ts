import { decodeRnokpp } from '../../domain/identifiers.js';
import type { Logger } from '../../adapters/core/logger.js';
import type { Memorandum, PartnerEntry } from '../../adapters/core/memorandum.js';
import type { StatusBoard } from '../../adapters/core/status-board.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import { assertTaxId } from '../kit/tax-id.js';

/**
 * The centre owns the entry points. It answers from the tax id alone, without calling any partner,
 * so the plan's first hop is cheap and a malformed tax id stops the query before any partner is asked.
 * It also lists the memorandum's partners, with the status the domain subgraphs record on the board.
 */
export function centreCitizen(taxId: string) {
  return { taxId: assertTaxId(taxId), ...decodeRnokpp(taxId) };
}

export interface CentreSubgraphOptions {
  log: Logger;
  memorandum: Memorandum;
  statusBoard: StatusBoard;
}

function partnerView(entry: PartnerEntry) {
  return { id: entry.id, name: entry.name, edrpou: entry.edrpou, domain: entry.domain.toUpperCase(), region: entry.region, joinedOn: entry.joined, entry };
}

type PartnerView = ReturnType<typeof partnerView>;

export function createCentreSubgraph(options: CentreSubgraphOptions): Promise<Subgraph> {
  const views = options.memorandum.partners.map(partnerView);
  const byId = new Map(views.map((v) => [v.id, v]));
  const health = (p: PartnerView) => options.statusBoard.read(p.id);

  return createSubgraph({
    name: 'centre',
    log: options.log,
    resolvers: {
      Query: {
        citizen: (_: unknown, { taxId }: { taxId: string }) => centreCitizen(taxId),
        partners: (_: unknown, { domain }: { domain?: string | null }) => views.filter((v) => !domain || v.domain === domain),
      },
      Citizen: { __resolveReference: ({ taxId }: { taxId: string }) => centreCitizen(taxId) },
      Partner: {
        __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null,
        status: async (p: PartnerView) => (p.entry.enabled ? (await health(p)).status : 'NOT_CONNECTED'),
        health,
      },
    },
  });
}
