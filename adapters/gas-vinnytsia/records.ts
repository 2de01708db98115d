import { parsePayload } from '../core/batch.js';
import { PartnerBadResponseError } from '../../domain/errors.js';
import {
  accountRowSchema, billRowSchema, readingRowSchema, type AbonentRow, type AccountRecord,
} from './payload.js';

/**
 * Joins the export's rows into each asked tax id's accounts. The export is a dump of the rows of
 * the customers asked for, so it cannot say "not found": a tax id without A rows has no records
 * here, and that is the partner's answer (`[]`), not a left-out key. Rows the request did not ask
 * for (an A row of another tax id, B and R rows of an account no asked A row names, rows of
 * other record types) are ignored and never validated. A row of an asked customer that cannot
 * be read fails that customer only.
 */
export function recordsByTaxId(partnerId: string, taxIds: readonly string[], rows: readonly AbonentRow[]): Map<string, AccountRecord[] | Error> {
  const answers = new Map<string, AccountRecord[] | Error>(taxIds.map((taxId) => [taxId, []]));
  const accountRows = new Map<string, AbonentRow[]>();
  const owners = new Map<string, Set<string>>();
  const details = new Map<string, AbonentRow[]>();
  for (const row of rows) {
    if (row.type === 'A' && answers.has(row.taxId)) {
      accountRows.set(row.taxId, [...(accountRows.get(row.taxId) ?? []), row]);
      owners.set(row.accountNumber, (owners.get(row.accountNumber) ?? new Set()).add(row.taxId));
    } else if (row.type === 'B' || row.type === 'R') {
      details.set(row.accountNumber, [...(details.get(row.accountNumber) ?? []), row]);
    }
  }

  for (const [taxId, own] of accountRows) {
    try {
      const records = own.map((raw) => {
        const account = parsePayload(partnerId, accountRowSchema, raw, 'account row');
        // One account under two tax ids (or twice under one): whose bills they are cannot be told.
        if (owners.get(raw.accountNumber)!.size > 1 || own.filter((r) => r.accountNumber === raw.accountNumber).length > 1) {
          throw new PartnerBadResponseError(partnerId, 'the partner lists one account more than once');
        }
        const detail = details.get(account.accountNumber) ?? [];
        return {
          account,
          bills: detail.filter((r) => r.type === 'B').map((r) => parsePayload(partnerId, billRowSchema, r, 'bill row')),
          readings: detail.filter((r) => r.type === 'R').map((r) => parsePayload(partnerId, readingRowSchema, r, 'reading row')),
        };
      });
      answers.set(taxId, records);
    } catch (error) {
      answers.set(taxId, error as Error);
    }
  }
  return answers;
}
