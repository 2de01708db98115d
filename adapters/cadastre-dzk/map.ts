import { checkCadastralNumber } from '../../domain/identifiers.js';
import { parseDecimalToMinorUnits, uah } from '../../domain/money.js';
import type { LandParcel, ParcelRight, Provenance } from '../../domain/model.js';
import type { ParcelDto } from './payload.js';

/** The State Geo-Cadastre's dialect → the domain model. Throws plain errors; the caller makes them PARTNER_BAD_RESPONSE. */

const OWNERSHIP_FORM: Record<ParcelDto['ownership']['code'], LandParcel['ownershipForm']> = {
  '100': 'PRIVATE',
  '200': 'STATE',
  '300': 'COMMUNAL',
};

const RIGHT_KIND: Record<ParcelDto['rights'][number]['type_code'], ParcelRight['kind']> = {
  '1': 'OWNERSHIP',
  '2': 'USE',
  '3': 'USE',
};

/** "3.87" → "3.8700"; the registry trims trailing zeros on some parcels. */
function fourPlaces(area: string): string {
  const [whole, fraction = ''] = area.split('.');
  return `${whole.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(4, '0')}`;
}

export function mapParcel(dto: ParcelDto, source: Provenance): LandParcel {
  const problem = checkCadastralNumber(dto.cadnum);
  if (problem) throw new Error(`cadastral number ${problem}`);
  if (!dto.cadnum.startsWith(`${dto.koatuu}:`)) throw new Error('cadastral number and KOATUU disagree');
  const valuation = parseDecimalToMinorUnits(dto.normative_valuation);
  if (valuation === null) throw new Error('normative valuation is not an amount');

  return {
    partnerId: source.partnerId,
    cadastralNumber: dto.cadnum,
    areaHectares: fourPlaces(dto.area),
    koatuu: dto.koatuu,
    address: dto.address,
    category: { code: dto.category.code, name: dto.category.name },
    purpose: { code: dto.purpose.code, name: dto.purpose.name },
    ownershipForm: OWNERSHIP_FORM[dto.ownership.code],
    normativeValuation: uah(valuation),
    valuationYear: Number(dto.valuation_date.slice(0, 4)),
    restrictions: dto.restrictions.map((r) => ({ code: r.code, name: r.name, registeredOn: r.reg_date })),
    registeredOn: dto.reg_date,
    rights: dto.rights.map((r) => ({
      kind: RIGHT_KIND[r.type_code],
      holderName: r.holder,
      share: r.share,
      basis: r.basis,
      registeredOn: r.reg_date,
    })),
    source,
  };
}
