import type { BatchResult, CallContext } from '../../adapters/core/contract.js';
import type { Partner } from '../../adapters/core/partners.js';
import { isViknoError, NotFoundError, PartnerBadResponseError } from '../../domain/errors.js';
import { EXTRACT_ISSUANCES, type IssuanceType } from '../../domain/extract-issuance.js';
import type { RegistryExtract } from '../../domain/model.js';
import { assertMayIssue, assertRecorded, assertScope } from '../kit/authorize.js';
import type { SubgraphContext } from '../kit/context.js';
import { assertTaxId } from '../kit/tax-id.js';

/** How a registry domain issues an extract for one of a person's items. */
export interface IssuanceSpec<Item extends { partnerId: string }> {
  type: IssuanceType;
  /** The Citizen field whose listing says which items are the person's (and its loader's name). */
  citizenField: string;
  /** The item's number as the issuance names it (cadastral number, VIN). */
  itemId(item: Item): string;
  listByOwners(partner: Partner, taxIds: readonly string[], call: CallContext): Promise<BatchResult<Item[]>>;
  issueExtract(partner: Partner, item: Item, call: CallContext): Promise<RegistryExtract>;
}

/** An issuance entity's representation: the tax id, the item (under its registry's key name) and the purpose. */
export type IssuanceRepresentation = Record<string, string>;
type Representation = IssuanceRepresentation;

/**
 * The resolvers of an issuance entity in a registry's subgraph (domain/extract-issuance.ts). Reached
 * only through an entity fetch whose representation the gateway recorded as an ISSUANCE before
 * sending it. The item must be one the domain's partners list for the person: otherwise NOT_FOUND
 * (reported as the issuance's refusal) and nothing is issued. The extract is issued by the partner
 * that lists the item, told the issuance's purpose; selecting `extract` twice (aliases) in one
 * request issues once. Another call of the mutation is another request: it issues again.
 */
export function issuanceResolvers<Item extends { partnerId: string }>(spec: IssuanceSpec<Item>, partners: readonly Partner[]) {
  const { domain, item: itemKey } = EXTRACT_ISSUANCES[spec.type];
  const issued = new WeakMap<SubgraphContext, Map<string, Promise<RegistryExtract>>>();

  async function find(taxId: string, wanted: string, call: CallContext, context: SubgraphContext): Promise<{ partner: Partner; item: Item }> {
    const settled = await Promise.allSettled(partners.map(async (p) => {
      const [items] = await spec.listByOwners(p, [taxId], call);
      if (items instanceof Error) throw items;
      return items;
    }));
    for (const [i, s] of settled.entries()) {
      const item = s.status === 'fulfilled' ? s.value.find((x) => spec.itemId(x) === wanted) : undefined;
      if (item) return { partner: partners[i], item };
    }
    const failed = settled.findIndex((s) => s.status === 'rejected');
    if (failed >= 0) {
      // A partner that did not answer may be the one listing the item: say so rather than "not found".
      const reason = (settled[failed] as PromiseRejectedResult).reason;
      const error = isViknoError(reason) ? reason : new PartnerBadResponseError(partners[failed].ref.id, 'the adapter failed unexpectedly', { cause: reason });
      context.partnerOutcomes.push({ partner: partners[failed].ref.id, outcome: error.code });
      throw error;
    }
    context.subjects.set(taxId, 'NOT_FOUND');
    throw new NotFoundError(`the ${domain} registry lists no such item for this citizen: no extract was issued`);
  }

  async function issue(representation: Representation, context: SubgraphContext): Promise<RegistryExtract> {
    const { taxId, purpose } = representation;
    assertScope(context, domain);
    assertRecorded(context, taxId);
    // The registry records why it was asked (X-Road-Issue): the purpose stated for this issuance.
    const call: CallContext = { ...context.call, purpose };
    const { partner, item } = await find(taxId, representation[itemKey], call, context);
    try {
      const extract = await spec.issueExtract(partner, item, call);
      context.partnerOutcomes.push({ partner: partner.ref.id, outcome: 'ANSWERED' });
      return extract;
    } catch (error) {
      context.partnerOutcomes.push({ partner: partner.ref.id, outcome: isViknoError(error) ? error.code : 'INTERNAL_SERVER_ERROR' });
      throw error;
    }
  }

  return {
    __resolveReference: (representation: Representation, context: SubgraphContext) => {
      assertMayIssue(context, assertTaxId(representation.taxId), domain);
      return representation;
    },
    extract: (representation: Representation, _: unknown, context: SubgraphContext) => {
      let mine = issued.get(context);
      if (!mine) issued.set(context, (mine = new Map()));
      const key = JSON.stringify([representation.taxId, representation[itemKey], representation.purpose]);
      if (!mine.has(key)) mine.set(key, issue(representation, context));
      return mine.get(key)!;
    },
  };
}
