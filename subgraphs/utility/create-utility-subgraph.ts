import type { GraphQLResolveInfo } from 'graphql';
import type { UtilityOperations } from '../../adapters/core/contract.js';
import type { Partner } from '../../adapters/core/partners.js';
import type { Logger } from '../../adapters/core/logger.js';
import type { Bill, MeterReading, Tariff, UtilityAccount } from '../../domain/model.js';
import type { SubgraphName } from '../../schema/index.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import type { SubgraphContext } from '../kit/context.js';
import { gatherFromPartners } from '../kit/gather.js';
import { pageOf, partnerDataResolvers, partnerDirectory, type PageArgs } from '../kit/partner-data.js';
import { citizenFieldResolvers } from '../kit/citizen-field.js';
import type { AssertionKey } from '../../identity/assertion.js';
import type { Metrics } from '../../platform/metrics.js';

/** How a utility domain appears in the schema (schema/subgraphs/<name>.graphql). */
export interface UtilityDomainSpec {
  name: Extract<SubgraphName, 'gas' | 'heating' | 'water' | 'electricity'>;
  /** The field it adds to Citizen, e.g. gasAccounts. */
  citizenField: string;
  /** The account type implementing UtilityAccount, e.g. GasAccount. */
  accountType: string;
  /** The root field listing published tariffs, e.g. gasTariffs. */
  tariffsField: string;
}

export interface UtilitySubgraphOptions {
  partners: readonly Partner[];
  log: Logger;
  assertionKey: AssertionKey;
  metrics?: Metrics;
}

const balanceState = (a: UtilityAccount) => (a.balance.minorUnits > 0 ? 'DEBT' : a.balance.minorUnits < 0 ? 'CREDIT' : 'SETTLED');

/** What tells one reading (a multi-zone meter reads each zone on the same day) or one bill from the others of an account. */
const readingKey = (r: MeterReading) => `reading:${r.takenOn}:${r.meterNumber}:${r.zone ?? ''}`;
const billKey = (b: Bill) => `bill:${b.period}`;

/** A utility domain subgraph serving every partner of its domain at once. */
export function createUtilitySubgraph(spec: UtilityDomainSpec, options: UtilitySubgraphOptions): Promise<Subgraph> {
  const partners = options.partners.filter((p) => p.domain === spec.name);
  if (partners.length === 0) throw new Error(`the memorandum lists no enabled ${spec.name} partner`);
  const ops = (p: Partner) => p.ops as UtilityOperations<UtilityAccount>;
  const partnerOf = partnerDirectory(partners);

  return createSubgraph({
    name: spec.name,
    log: options.log,
    partners,
    assertionKey: options.assertionKey,
    metrics: options.metrics,
    resolvers: {
      ...partnerDataResolvers(partners),
      Query: {
        [spec.tariffsField]: (_: unknown, __: unknown, context: SubgraphContext, info: GraphQLResolveInfo) =>
          gatherFromPartners(partners, context, info, (p) => ops(p).tariffs(context.call)),
      },
      Citizen: citizenFieldResolvers(spec.name, spec.citizenField, partners, (p, keys, call) => ops(p).accountsByTaxIds(keys, call)),
      [spec.accountType]: {
        id: (a: UtilityAccount) => `${a.partnerId}:${a.accountNumber}`,
        partner: (a: UtilityAccount) => partnerOf(a.partnerId),
        balanceState,
        readings: (a: UtilityAccount, args: PageArgs) => pageOf(a.readings, args, readingKey),
        bills: (a: UtilityAccount, args: PageArgs) => pageOf(a.bills, args, billKey),
      },
      // Tariff codes are the partner's own: qualified by the partner, they are unique on the shared type.
      Tariff: { id: (t: Tariff) => `${t.partnerId}:${t.id}`, code: (t: Tariff) => t.id, partner: (t: Tariff) => partnerOf(t.partnerId) },
    },
  });
}
