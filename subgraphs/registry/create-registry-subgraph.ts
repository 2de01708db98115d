import type { BatchResult, CallContext } from '../../adapters/core/contract.js';
import type { Partner } from '../../adapters/core/partners.js';
import type { Logger } from '../../adapters/core/logger.js';
import type { SubgraphName } from '../../schema/index.js';
import type { RegistryExtract } from '../../domain/model.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import { partnerDataResolvers, partnerDirectory } from '../kit/partner-data.js';
import { citizenFieldResolvers } from '../kit/citizen-field.js';
import type { AssertionKey } from '../../identity/assertion.js';
import type { Metrics } from '../../platform/metrics.js';
import type { IssuanceType } from '../../domain/extract-issuance.js';
import { issuanceResolvers } from './issue-extract.js';

interface RegistryItem {
  partnerId: string;
}

/**
 * How a state-registry domain appears in the schema: a list on Citizen whose items show the extract
 * last issued for them (a read), and the issuance entity through which the centre's mutation has an
 * extract issued (issue-extract.ts).
 */
export interface RegistryDomainSpec<Item extends RegistryItem> {
  name: Extract<SubgraphName, 'cadastre' | 'vehicles'>;
  citizenField: string;
  itemType: string;
  issuanceType: IssuanceType;
  /** The item's number, which its extracts are about (cadastral number, VIN). */
  itemId(item: Item): string;
  /** The batch operation listing each person's items. */
  listByOwners(partner: Partner, taxIds: readonly string[], call: CallContext): Promise<BatchResult<Item[]>>;
  issueExtract(partner: Partner, item: Item, call: CallContext): Promise<RegistryExtract>;
}

export interface RegistrySubgraphOptions {
  partners: readonly Partner[];
  log: Logger;
  assertionKey: AssertionKey;
  metrics?: Metrics;
}

export function createRegistrySubgraph<Item extends RegistryItem>(spec: RegistryDomainSpec<Item>, options: RegistrySubgraphOptions): Promise<Subgraph> {
  const partners = options.partners.filter((p) => p.domain === spec.name);
  if (partners.length === 0) throw new Error(`the memorandum lists no enabled ${spec.name} partner`);
  const partnerOf = partnerDirectory(partners);
  const byId = new Map(partners.map((p) => [p.ref.id, p]));

  return createSubgraph({
    name: spec.name,
    log: options.log,
    partners,
    assertionKey: options.assertionKey,
    metrics: options.metrics,
    resolvers: {
      ...partnerDataResolvers(partners),
      Citizen: citizenFieldResolvers(spec.name, spec.citizenField, partners, spec.listByOwners),
      [spec.itemType]: {
        partner: (item: Item) => partnerOf(item.partnerId),
        // A read: what the partner that lists the item last issued for it, if kept. Issues nothing.
        issuedExtract: (item: Item) => byId.get(item.partnerId)!.issuedExtract(spec.itemId(item)),
      },
      [spec.issuanceType]: issuanceResolvers({ ...spec, type: spec.issuanceType }, partners),
    },
  });
}
