import { decodeRnokpp } from '../../domain/identifiers.js';
import type { Logger } from '../../platform/logger.js';
import type { Memorandum, PartnerEntry } from '../../domain/memorandum.js';
import type { StatusBoard } from '../../adapters/core/status-board.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import { assertTaxId } from '../kit/tax-id.js';
import { assertMayReadPerson } from '../kit/authorize.js';
import type { SubgraphContext } from '../kit/context.js';
import type { AssertionKey } from '../../identity/assertion.js';
import type { Metrics } from '../../platform/metrics.js';
import { ForbiddenError } from '../../domain/errors.js';
import type { Resolvers as CentreResolvers } from '../generated/centre.js';
import { accessLog, type AccessTrail } from './access-log.js';
import { issuanceMutations } from './issuance.js';

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
  assertionKey: AssertionKey;
  metrics?: Metrics;
  trail?: AccessTrail;
}

/** A citizen as the principal may see them: the tax id is checked first, then who may look. */
function readableCitizen(taxId: string, context: SubgraphContext) {
  const citizen = centreCitizen(taxId);
  assertMayReadPerson(context, citizen.taxId);
  return citizen;
}

function partnerView(entry: PartnerEntry) {
  return { id: entry.id, name: entry.name, edrpou: entry.edrpou, domain: entry.domain.toUpperCase(), region: entry.region, joinedOn: entry.joined, entry };
}

export type PartnerView = ReturnType<typeof partnerView>;

export function createCentreSubgraph(options: CentreSubgraphOptions): Promise<Subgraph> {
  const views = options.memorandum.partners.map(partnerView);
  const byId = new Map(views.map((v) => [v.id, v]));
  const health = (p: PartnerView) => options.statusBoard.read(p.id);

  return createSubgraph({
    name: 'centre',
    log: options.log,
    assertionKey: options.assertionKey,
    metrics: options.metrics,
    resolvers: centreResolvers(options, views, byId, health),
  });
}

/** The centre's resolvers, typed by the types generated from its SDL (subgraphs/generated/centre.ts). */
function centreResolvers(options: CentreSubgraphOptions, views: PartnerView[], byId: Map<string, PartnerView>, health: (p: PartnerView) => ReturnType<StatusBoard['read']>) {
  return {
    Query: {
      citizen: (_, { taxId }, context) => readableCitizen(taxId, context),
      me: (_, __, context) => {
        if (context.principal.kind !== 'citizen') throw new ForbiddenError('me is the signed-in citizen: staff look citizens up with citizen(taxId:)');
        return readableCitizen(context.principal.taxId, context);
      },
      partners: (_, { domain }) => views.filter((v) => !domain || v.domain === domain),
    },
    Mutation: issuanceMutations,
    Citizen: {
      __resolveReference: ({ taxId }, context) => readableCitizen(taxId, context),
      accessLog: ({ taxId }, args, context) => accessLog(options.trail, taxId, args, context),
    },
    AccessLogPartner: { partner: ({ partnerId }) => byId.get(partnerId) ?? null },
    Partner: {
      __resolveReference: ({ id }) => byId.get(id) ?? null,
      status: async (p) => (p.entry.enabled ? (await health(p)).status : 'NOT_CONNECTED'),
      health,
    },
  } satisfies CentreResolvers;
}
