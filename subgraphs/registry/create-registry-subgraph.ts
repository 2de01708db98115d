import type { BatchResult, CallContext } from '../../adapters/core/contract.js';
import type { Partner } from '../../adapters/core/partners.js';
import type { Logger } from '../../adapters/core/logger.js';
import type { SubgraphName } from '../../schema/index.js';
import type { RegistryExtract } from '../../domain/model.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import type { SubgraphContext } from '../kit/context.js';
import { partnerDataResolvers, partnerDirectory } from '../kit/partner-data.js';
import { citizenFieldResolvers } from '../kit/citizen-field.js';
import type { AssertionKey } from '../../identity/assertion.js';
import type { Metrics } from '../../platform/metrics.js';

interface RegistryItem {
  partnerId: string;
}

/** How a state-registry domain appears in the schema: a list on Citizen whose items can issue an extract. */
export interface RegistryDomainSpec<Item extends RegistryItem> {
  name: Extract<SubgraphName, 'cadastre' | 'vehicles'>;
  citizenField: string;
  itemType: string;
  /** The item's own key at its partner (cadastral number, VIN): `id` is `<partner id>:<key>`. */
  keyOf(item: Item): string;
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
        id: (item: Item) => `${item.partnerId}:${spec.keyOf(item)}`,
        partner: (item: Item) => partnerOf(item.partnerId),
        // The item came from this partner, so its extract is issued by the same one.
        extract: (item: Item, _: unknown, context: SubgraphContext) => spec.issueExtract(byId.get(item.partnerId)!, item, context.call),
      },
    },
  });
}
