import type { Citizen } from '../population/index.js';
import { buildVin, MODELS, OPERATIONS, type ModelSpec } from './catalogue.js';
import { operation, vehicleFields, type MvsRecord } from './records.js';

/**
 * The demo citizens' vehicles, written out so the demo always shows the same rich records:
 * 3111901220 bought a used Golf (European VIN filler, so its check digit does not match);
 * 2660404572 has a Camry bought new and later given new plates (two operations, the newest counts)
 * and an electric Leaf (no engine capacity).
 */

function model(brand: string, name: string): ModelSpec {
  return MODELS.find((m) => m.brand === brand && m.model === name)!;
}

const KOATUU = { PERSON: 'P' as const, REG_ADDR_KOATUU: 1211000000 };

export function demoRecords(citizen: Citizen): MvsRecord[] {
  if (citizen.taxId === '3111901220') {
    const golf = model('VOLKSWAGEN', 'GOLF');
    return [{
      ...KOATUU, ...operation(OPERATIONS.sale, '2021-08-17', 1241), ...vehicleFields(golf, buildVin(golf, 2017, '123456'), 2017, 'СИНІЙ'),
      N_REG_NEW: 'АЕ4127КС', SVID_SERIES: 'САА', SVID_NUM: '417305', D_FIRST_REG: '14.03.2017',
    }];
  }
  if (citizen.taxId === '2660404572') {
    const camry = model('TOYOTA', 'CAMRY');
    const leaf = model('NISSAN', 'LEAF');
    const camryFields = vehicleFields(camry, buildVin(camry, 2019, '048213'), 2019, 'ЧОРНИЙ');
    return [
      { ...KOATUU, ...operation(OPERATIONS.newFromDealer, '2019-04-02', 1242), ...camryFields, N_REG_NEW: 'КЕ0715АР', SVID_SERIES: 'СХЕ', SVID_NUM: '208114', D_FIRST_REG: '02.04.2019' },
      {
        ...KOATUU, ...operation(OPERATIONS.sale, '2022-10-11', 1241), ...vehicleFields(leaf, buildVin(leaf, 2018, '271930'), 2018, 'БІЛИЙ'),
        N_REG_NEW: 'КЕ5309ВІ', SVID_SERIES: 'ЕРА', SVID_NUM: '118264', D_FIRST_REG: '23.05.2018',
      },
      { ...KOATUU, ...operation(OPERATIONS.plateChange, '2023-06-20', 1241), ...camryFields, N_REG_NEW: 'АЕ1234КХ', SVID_SERIES: 'СХК', SVID_NUM: '530982', D_FIRST_REG: '02.04.2019' },
    ];
  }
  return [];
}
