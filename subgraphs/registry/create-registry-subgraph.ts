import type { BatchResult, CallContext } from '../../adapters/core/contract.js';
import type { Declared, RegistryDeclaration } from '../../domain/domains.js';
import type { Partner } from '../../adapters/core/partners.js';
import type { Logger } from '../../platform/logger.js';
import type { RegistryExtract } from '../../domain/model.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import type { SubgraphContext } from '../kit/context.js';
import { partnerDataResolvers, partnerDirectory } from '../kit/partner-data.js';
import { citizenFieldResolvers } from '../kit/citizen-field.js';
import type { AssertionKey } from '../../identity/assertion.js';
import type { Metrics } from '../../platform/metrics.js';

/** One item of a registry's listing: which partner it came from, and its registry key (the extract's subject). */
type RegistryItem = { partnerId: string } & Record<string, unknown>;

/** The registry operations as the declaration names them. */
type NamedOperations = Record<string, (...args: never[]) => Promise<unknown>>;

export interface RegistrySubgraphOptions {
  partners: readonly Partner[];
  log: Logger;
  assertionKey: AssertionKey;
  metrics?: Metrics;
}

/** A state registry's subgraph: a list on Citizen whose items can issue an extract. */
export function createRegistrySubgraph(spec: Declared<RegistryDeclaration>, options: RegistrySubgraphOptions): Promise<Subgraph> {
  const partners = options.partners.filter((p) => p.domain === spec.id);
  if (partners.length === 0) throw new Error(`the memorandum lists no enabled ${spec.id} partner`);
  const partnerOf = partnerDirectory(partners);
  const byId = new Map(partners.map((p) => [p.ref.id, p]));
  const ops = (partner: Partner) => partner.ops as unknown as NamedOperations;
  const listByOwners = (partner: Partner, taxIds: readonly string[], call: CallContext) =>
    (ops(partner)[spec.listOperation] as (t: readonly string[], c: CallContext) => Promise<BatchResult<RegistryItem[]>>)(taxIds, call);
  const issueExtract = (partner: Partner, item: RegistryItem, call: CallContext) =>
    (ops(partner)[spec.extractOperation] as (subject: string, c: CallContext) => Promise<RegistryExtract>)(String(item[spec.extractSubject]), call);

  return createSubgraph({
    name: spec.id,
    log: options.log,
    partners,
    assertionKey: options.assertionKey,
    metrics: options.metrics,
    resolvers: {
      ...partnerDataResolvers(partners),
      Citizen: citizenFieldResolvers(spec.id, spec.citizenField, partners, listByOwners),
      [spec.itemType]: {
        id: (item: RegistryItem) => `${item.partnerId}:${String(item[spec.extractSubject])}`,
        partner: (item: RegistryItem) => partnerOf(item.partnerId),
        // The item came from this partner, so its extract is issued by the same one.
        extract: (item: RegistryItem, _: unknown, context: SubgraphContext) => issueExtract(byId.get(item.partnerId)!, item, context.call),
      },
    },
  });
}
