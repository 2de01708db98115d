import { BadUserInputError } from '../../domain/errors.js';
import { checkCadastralNumber, checkVin } from '../../domain/identifiers.js';
import { checkPurpose } from '../../identity/text.js';
import type { IssuanceType } from '../../domain/extract-issuance.js';
import { EXTRACT_ISSUANCES } from '../../domain/extract-issuance.js';
import { assertMayIssue } from '../kit/authorize.js';
import type { SubgraphContext } from '../kit/context.js';
import { assertTaxId } from '../kit/tax-id.js';

/**
 * The centre's side of issuing an extract: it checks the tax id, the item's number and the stated
 * purpose, and who may issue, without asking any partner, and answers with the issuance entity.
 * The registry's subgraph issues the document when the gateway fetches that entity from it, after
 * the gateway recorded the issuance from the entity's representation (domain/extract-issuance.ts).
 * Nothing here is cached or retried: each call of the mutation is a new issuance.
 */

/** Each registry's item number as an issuance names it (the declaration's extract subject): normalised, or BAD_USER_INPUT. */
const ITEM_CHECKS: Readonly<Record<string, (value: string) => string>> = {
  vin: (value) => {
    const vin = value.trim().toUpperCase();
    const problem = checkVin(vin);
    if (problem) throw new BadUserInputError(`vin: the VIN ${problem}`);
    return vin;
  },
  cadastralNumber: (value) => {
    const problem = checkCadastralNumber(value);
    if (problem) throw new BadUserInputError(`cadastralNumber: the cadastral number ${problem}`);
    return value;
  },
};
for (const { domain, item } of Object.values(EXTRACT_ISSUANCES)) {
  if (!Object.hasOwn(ITEM_CHECKS, item)) throw new TypeError(`subgraphs/centre/issuance.ts: no check for ${domain}'s item number "${item}"`);
}

/** An issuance asked for, as the centre answers it (the registry's subgraph issues its extract). */
export type IssuanceView = { __typename: string; taxId: string; purpose: string } & Record<string, string>;

function issuance(type: IssuanceType, args: Record<string, string>, context: SubgraphContext): IssuanceView {
  const { domain, item } = EXTRACT_ISSUANCES[type];
  const taxId = assertTaxId(args.taxId);
  const checked = { taxId, [item]: ITEM_CHECKS[item](args[item]), purpose: checkPurpose(args.purpose, 'purpose') };
  assertMayIssue(context, taxId, domain);
  return { __typename: type, ...checked };
}

export const issuanceMutations = {
  issueParcelExtract: (_: unknown, args: Record<string, string>, context: SubgraphContext) => issuance('ParcelExtractIssuance', args, context),
  issueVehicleRegistrationExtract: (_: unknown, args: Record<string, string>, context: SubgraphContext) =>
    issuance('VehicleExtractIssuance', args, context),
};
