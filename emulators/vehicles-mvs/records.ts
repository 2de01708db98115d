import type { ModelSpec } from './catalogue.js';

/**
 * A registration operation as the MVS registry answers it: the public data set's upper-case fields
 * (numbers as numbers, KOATUU too, so a leading zero is lost), DD.MM.YYYY dates, Cyrillic plates,
 * plus the registration certificate. A person's vehicles come as their operations, oldest first.
 */
export interface MvsRecord {
  PERSON: 'P' | 'J';
  REG_ADDR_KOATUU: number;
  OPER_CODE: number;
  OPER_NAME: string;
  D_REG: string;
  DEP_CODE: number;
  DEP: string;
  BRAND: string;
  MODEL: string;
  VIN: string;
  MAKE_YEAR: number;
  COLOR: string;
  KIND: string;
  BODY: string;
  PURPOSE: string;
  FUEL: string;
  CAPACITY: number | null;
  OWN_WEIGHT: number;
  TOTAL_WEIGHT: number;
  N_REG_NEW: string;
  SVID_SERIES: string;
  SVID_NUM: string;
  D_FIRST_REG: string;
}

/** "2019-03-07" → "07.03.2019". */
export function ddmmyyyy(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/** The fields of one vehicle that every operation on it repeats. */
export function vehicleFields(spec: ModelSpec, vin: string, makeYear: number, color: string) {
  return {
    BRAND: spec.brand, MODEL: spec.model, VIN: vin, MAKE_YEAR: makeYear, COLOR: color, KIND: 'ЛЕГКОВИЙ', BODY: spec.body,
    PURPOSE: 'ЗАГАЛЬНИЙ', FUEL: spec.fuel, CAPACITY: spec.capacity, OWN_WEIGHT: spec.ownWeight, TOTAL_WEIGHT: spec.totalWeight,
  };
}

export function operation(op: { code: number; name: string }, date: string, depCode: number) {
  return { OPER_CODE: op.code, OPER_NAME: op.name, D_REG: ddmmyyyy(date), DEP_CODE: depCode, DEP: `ТСЦ ${depCode}` };
}
