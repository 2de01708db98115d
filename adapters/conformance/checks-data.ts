import type { Domain } from '../../domain/model.js';
import { describeProblems, ofKind } from './describe.js';
import type { PassData } from './checks-batch.js';
import { createProblems, type ProblemKind } from './validate.js';
import { fail, pass, type Session } from './session.js';

interface DataCheck {
  name: string;
  kinds: ProblemKind[];
  /** The domains whose data has something this check looks at (all when left out). */
  domains?: readonly Domain[];
}

const UTILITIES: readonly Domain[] = ['gas', 'heating', 'water', 'electricity', 'housing'];

const DATA_CHECKS: readonly DataCheck[] = [
  { name: 'data: identifiers pass their checks', kinds: ['identifiers'] },
  { name: 'data: money is integer minor units; prices are decimal strings', kinds: ['money'], domains: UTILITIES },
  { name: 'data: money is integer minor units; areas are decimal strings with four places', kinds: ['money'], domains: ['cadastre'] },
  { name: 'data: dates are ISO (YYYY-MM-DD, YYYY-MM, UTC date-times)', kinds: ['dates'] },
  { name: "data: bills add up (toPay = opening + accrued − paid); balance is the newest bill's toPay", kinds: ['bills'], domains: UTILITIES },
  { name: "data: each account's tariff is one of tariffs()", kinds: ['tariff'], domains: UTILITIES },
  { name: 'data: source is the partner, freshness LIVE', kinds: ['source'] },
  { name: "data: fields have the contract's types and values", kinds: ['shape'] },
  { name: 'data: the extract document decodes to sizeBytes bytes with its SHA-256', kinds: ['extract'], domains: ['cadastre', 'vehicles'] },
];

/**
 * Check 4: everything a healthy partner answered maps to valid contract data. Problems are grouped
 * into one report line per kind, so a failure says which rule broke and where.
 */
export function checkData(s: Session, data: PassData): void {
  const problems = createProblems();
  data.items.forEach(({ where, item }) => s.probe.validateItem(problems, item, s.partnerId, data.tariffs, where));
  if (data.single) s.probe.validateSingle(problems, data.single.value, s.partnerId, data.firstItem, s.probe.singleOp);

  for (const check of DATA_CHECKS) {
    if (check.domains && !check.domains.includes(s.domain)) continue;
    if (data.items.length === 0) {
      s.add(fail(check.name, `${s.probe.noun}s of the customers to check`, `none (see the batch check)`));
      continue;
    }
    if (check.kinds.includes('tariff') && data.tariffs === null) {
      s.add(fail(check.name, 'the tariffs to compare with', 'tariffs() gave none (see its check)'));
      continue;
    }
    if (check.kinds.includes('extract') && data.single === null) {
      s.add(fail(check.name, 'an extract to check', `${s.probe.singleOp} gave none (see its check)`));
      continue;
    }
    const found = ofKind(problems.list, ...check.kinds);
    s.add(found.length === 0 ? pass(check.name) : fail(check.name, 'no violation', describeProblems(found)));
  }
}
