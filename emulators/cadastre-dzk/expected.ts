import type { Population } from '../population/index.js';
import { parseDecimalToMinorUnits } from '../../domain/money.js';
import { byTaxId, money, type ExpectedData } from '../kit/expected.js';
import { parcelsOf } from './data.js';

const FORM = { '100': 'PRIVATE', '200': 'STATE', '300': 'COMMUNAL' } as Record<string, string>;
const RIGHT = { '1': 'OWNERSHIP', '2': 'USE', '3': 'USE' } as Record<string, string>;

/** The parcels an adapter must return, from the emulator's records. */
export function expectedCadastre(population: Population, taxIds: readonly string[]): ExpectedData {
  return {
    records: byTaxId(taxIds, (taxId) => {
      const citizen = population.byTaxId(taxId);
      return (citizen ? parcelsOf(population, citizen) : []).map((p) => ({
        cadastralNumber: p.cadnum, koatuu: p.koatuu, areaHectares: Number(p.area).toFixed(4), ownershipForm: FORM[p.ownership.code],
        category: { code: p.category.code }, purpose: { code: p.purpose.code },
        normativeValuation: money(parseDecimalToMinorUnits(p.normative_valuation)!), valuationYear: Number(p.valuation_date.slice(0, 4)),
        registeredOn: p.reg_date,
        restrictions: p.restrictions.map((r) => ({ code: r.code, registeredOn: r.reg_date })),
        rights: p.rights.map((r) => ({ kind: RIGHT[r.type_code], share: r.share, registeredOn: r.reg_date })),
      }));
    }),
  };
}
