import { checkRnokpp, encodeRnokpp } from '../../domain/identifiers.js';
import type { Keys } from './session.js';

/** A valid РНОКПП of someone born on 1 January 1901: nobody any partner serves. */
export function strangerTaxId(avoid: readonly string[]): string {
  for (let serial = 0; ; serial++) {
    const taxId = encodeRnokpp('1901-01-01', serial, 'MALE');
    if (!avoid.includes(taxId)) return taxId;
  }
}

export function conformanceKeys(taxIds: readonly string[]): Keys {
  if (taxIds.length === 0) throw new TypeError('taxIds: give at least one tax id of a customer of the partner');
  taxIds.forEach((taxId, i) => {
    const problem = checkRnokpp(taxId);
    if (problem) throw new TypeError(`taxIds[${i}]: not a valid РНОКПП (${problem})`);
  });
  const customers = [...new Set(taxIds)];
  const stranger = strangerTaxId(customers);
  const [first, ...others] = customers;
  return { customers, stranger, batch: [first, stranger, ...others, first] };
}
