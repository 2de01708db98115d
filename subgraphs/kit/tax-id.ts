import { BadUserInputError } from '../../domain/errors.js';
import { checkRnokpp } from '../../domain/identifiers.js';

/** Rejects a malformed РНОКПП before anything reaches a partner. The message names no value. */
export function assertTaxId(taxId: string): string {
  const problem = checkRnokpp(taxId);
  if (problem) throw new BadUserInputError(`taxId ${problem}`);
  return taxId;
}
