import type { UtilityOperations } from '../../adapters/core/contract.js';
import type { Partner } from '../../adapters/core/partners.js';
import type { Logger } from '../../platform/logger.js';
import type { Bill, MeterReading, UtilityAccount } from '../../domain/model.js';
import type { Declared, UtilityDeclaration } from '../../domain/domains.js';
import { createSubgraph, type Subgraph } from '../kit/create-subgraph.js';
import { gatherFromPartners } from '../kit/gather.js';
import { pageOf, partnerDataResolvers, partnerDirectory } from '../kit/partner-data.js';
import { citizenFieldResolvers } from '../kit/citizen-field.js';
import type { AssertionKey } from '../../identity/assertion.js';
import type { Resolvers as UtilityKindResolvers } from '../generated/utility-kind.js';
import type { Metrics } from '../../platform/metrics.js';

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

/** A utility domain's subgraph (schema/subgraphs/<id>.graphql), serving every partner of its domain at once. */
export function createUtilitySubgraph(spec: Declared<UtilityDeclaration>, options: UtilitySubgraphOptions): Promise<Subgraph> {
  const partners = options.partners.filter((p) => p.domain === spec.id);
  if (partners.length === 0) throw new Error(`the memorandum lists no enabled ${spec.id} partner`);
  const ops = (p: Partner) => p.ops as UtilityOperations<UtilityAccount>;
  const partnerOf = partnerDirectory(partners);

  // Typed against the utility kind's generated types (subgraphs/generated/utility-kind.ts), under
  // the kind's stand-in names; then given the names the domain's declaration says.
  const citizen = citizenFieldResolvers(spec.id, spec.citizenField, partners, (p, keys, call) => ops(p).accountsByTaxIds(keys, call));
  const kind = {
    Citizen: { __resolveReference: citizen.reference, accounts: citizen.list },
    Query: {
      tariffs: (_, __, context, info) => gatherFromPartners(partners, context, info, (p) => ops(p).tariffs(context.call)),
    },
    UtilityKindAccount: {
      id: (a) => `${a.partnerId}:${a.accountNumber}`,
      partner: (a) => partnerOf(a.partnerId),
      balanceState,
      readings: (a, args) => pageOf(a.readings, args, readingKey),
      bills: (a, args) => pageOf(a.bills, args, billKey),
    },
    // Tariff codes are the partner's own: qualified by the partner, they are unique on the shared type.
    Tariff: { id: (t) => `${t.partnerId}:${t.id}`, code: (t) => t.id, partner: (t) => partnerOf(t.partnerId) },
  } satisfies UtilityKindResolvers;

  return createSubgraph({
    name: spec.id,
    log: options.log,
    partners,
    assertionKey: options.assertionKey,
    metrics: options.metrics,
    resolvers: {
      ...partnerDataResolvers(partners),
      Query: { [spec.tariffsField]: kind.Query.tariffs },
      Citizen: { __resolveReference: kind.Citizen.__resolveReference, [spec.citizenField]: kind.Citizen.accounts },
      [spec.itemType]: kind.UtilityKindAccount,
      Tariff: kind.Tariff,
    },
  });
}
