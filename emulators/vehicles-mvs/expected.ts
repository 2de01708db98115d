import type { Population } from '../population/index.js';
import { type ExpectedData, byTaxId } from '../kit/expected.js';
import { recordsOf } from './data.js';

const iso = (ddmmyyyy: string) => ddmmyyyy.split('.').reverse().join('-');

/** The vehicles an adapter must return: each VIN's newest registration operation (a later record wins a tie). */
export function expectedVehicles(population: Population, taxIds: readonly string[]): ExpectedData {
  return {
    records: byTaxId(taxIds, (taxId) => {
      const citizen = population.byTaxId(taxId);
      const latest = new Map<string, ReturnType<typeof recordsOf>[number]>();
      for (const r of citizen ? recordsOf(population, citizen) : []) {
        const seen = latest.get(r.VIN);
        if (!seen || iso(r.D_REG) >= iso(seen.D_REG)) latest.set(r.VIN, r);
      }
      return [...latest.values()].map((r) => ({
        vin: r.VIN, makeYear: r.MAKE_YEAR, brand: r.BRAND, engineCapacityCm3: r.CAPACITY, ownWeightKg: r.OWN_WEIGHT, totalWeightKg: r.TOTAL_WEIGHT,
        registration: { operationCode: String(r.OPER_CODE), date: iso(r.D_REG), ownerKind: r.PERSON === 'P' ? 'PERSON' : 'LEGAL_ENTITY' },
        certificate: { series: r.SVID_SERIES, number: r.SVID_NUM, firstRegisteredOn: iso(r.D_FIRST_REG) },
      }));
    }),
  };
}
