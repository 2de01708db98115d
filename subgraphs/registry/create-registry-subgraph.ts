import type { BatchResult, CallContext } from '../../adapters/core/contract.js';
import type { Declared, RegistryDeclaration } from '../../domain/domains.js';
import type { Partner } from '../../adapters/core/partners.js';
import type { Logger } from '../../platform/logger.js';
import type { RegistryExtract } from '../../domain/model.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import { partnerDataResolvers, partnerDirectory } from '../kit/partner-data.js';
import { citizenFieldResolvers } from '../kit/citizen-field.js';
import type { AssertionKey } from '../../identity/assertion.js';
import type { Metrics } from '../../platform/metrics.js';
import { issuanceResolvers } from './issue-extract.js';
import type { Resolvers as RegistryKindResolvers } from '../generated/registry-kind.js';

/** One item of a registry's listing: which partner it came from, and its registry key (the extract's subject). */
export type RegistryItem = { partnerId: string } & Record<string, unknown>;

/** The registry operations as the declaration names them. */
type NamedOperations = Record<string, (...args: never[]) => Promise<unknown>>;

export interface RegistrySubgraphOptions {
  partners: readonly Partner[];
  log: Logger;
  assertionKey: AssertionKey;
  metrics?: Metrics;
}

/**
 * A state registry's subgraph: a list on Citizen whose items show the extract last issued for them
 * (a read), and the issuance entity through which the centre's mutation has an extract issued
 * (issue-extract.ts).
 */
export function createRegistrySubgraph(spec: Declared<RegistryDeclaration>, options: RegistrySubgraphOptions): Promise<Subgraph> {
  const partners = options.partners.filter((p) => p.domain === spec.id);
  if (partners.length === 0) throw new Error(`the memorandum lists no enabled ${spec.id} partner`);
  const partnerOf = partnerDirectory(partners);
  const byId = new Map(partners.map((p) => [p.ref.id, p]));
  const ops = (partner: Partner) => partner.ops as unknown as NamedOperations;
  const listByOwners = (partner: Partner, taxIds: readonly string[], call: CallContext) =>
    (ops(partner)[spec.listOperation] as (t: readonly string[], c: CallContext) => Promise<BatchResult<RegistryItem[]>>)(taxIds, call);
  /** The item's number, which its extracts are about (cadastral number, VIN). */
  const itemId = (item: RegistryItem) => String(item[spec.extractSubject]);
  const issueExtract = (partner: Partner, item: RegistryItem, call: CallContext) =>
    (ops(partner)[spec.extractOperation] as (subject: string, c: CallContext) => Promise<RegistryExtract>)(itemId(item), call);

  // Typed against the registry kind's generated types (subgraphs/generated/registry-kind.ts) under
  // the kind's stand-in name; then given the item type's name the declaration says.
  const citizen = citizenFieldResolvers(spec.id, spec.citizenField, partners, listByOwners);
  const issuance = issuanceResolvers({ type: spec.issuanceType, citizenField: spec.citizenField, itemId, listByOwners, issueExtract }, partners);
  const kind = {
    Citizen: { __resolveReference: citizen.reference, items: citizen.list },
    RegistryKindIssuance: { __resolveReference: issuance.__resolveReference, extract: issuance.extract },
    RegistryKindItem: {
      id: (item) => `${item.partnerId}:${itemId(item)}`,
      partner: (item) => partnerOf(item.partnerId),
      // A read: what the partner that lists the item last issued for it, if kept. Issues nothing.
      issuedExtract: (item) => byId.get(item.partnerId)!.issuedExtract(itemId(item)),
    },
  } satisfies RegistryKindResolvers;

  return createSubgraph({
    name: spec.id,
    log: options.log,
    partners,
    assertionKey: options.assertionKey,
    metrics: options.metrics,
    resolvers: {
      ...partnerDataResolvers(partners),
      Citizen: { __resolveReference: kind.Citizen.__resolveReference, [spec.citizenField]: kind.Citizen.items },
      [spec.itemType]: kind.RegistryKindItem,
      [spec.issuanceType]: kind.RegistryKindIssuance,
    },
  });
}
