import { addressLine, type Citizen } from '../population/index.js';
import { CATEGORY, CITY_KOATUU, OWNERSHIP, PURPOSE, RESTRICTIONS, RIGHT, RURAL_ADDRESS, RURAL_KOATUU } from './catalogue.js';
import type { DzkParcel } from './data.js';

/**
 * The demo citizens' parcels, written out by hand so the demo always shows the same rich records:
 * 3111901220 owns one garden plot (under a power-line protection zone); 2660404572 owns a homestead
 * in halves with his wife and a field share outside the city, both with restrictions.
 */

const ENERGY_ZONE = RESTRICTIONS[0];
const COMMUNICATION_ZONE = RESTRICTIONS[1];

export function demoParcels(citizen: Citizen, holder: string, valuationDate: string): DzkParcel[] {
  if (citizen.taxId === '3111901220') {
    return [{
      cadnum: `${CITY_KOATUU}:02:015:0042`,
      koatuu: CITY_KOATUU,
      area: '0.0800',
      unit_area: 'га',
      address: 'м. Кривий Ріг, СТ «Металург», ділянка 42',
      category: CATEGORY.agricultural,
      purpose: PURPOSE.garden,
      ownership: OWNERSHIP.private,
      normative_valuation: '68000.00',
      valuation_date: valuationDate,
      reg_date: '2004-05-12',
      restrictions: [{ ...ENERGY_ZONE, reg_date: '2015-06-18' }],
      rights: [{
        type_code: RIGHT.ownership.code, type: RIGHT.ownership.name, holder, share: '1/1',
        basis: 'Державний акт на право власності на земельну ділянку ЯЯ №123456 від 12.05.2004', reg_date: '2004-05-12',
      }],
    }];
  }
  if (citizen.taxId === '2660404572') {
    return [
      {
        cadnum: `${CITY_KOATUU}:02:015:0107`,
        koatuu: CITY_KOATUU,
        area: '0.1000',
        unit_area: 'га',
        address: addressLine(citizen.address),
        category: CATEGORY.residential,
        purpose: PURPOSE.homestead,
        ownership: OWNERSHIP.private,
        normative_valuation: '412500.00',
        valuation_date: valuationDate,
        reg_date: '2009-04-21',
        restrictions: [{ ...COMMUNICATION_ZONE, reg_date: '2019-02-11' }],
        rights: [holder, 'Шевченко Наталія Петрівна'].map((name) => ({
          type_code: RIGHT.ownership.code, type: RIGHT.ownership.name, holder: name, share: '1/2',
          basis: 'Договір купівлі-продажу земельної ділянки, посвідчений приватним нотаріусом Криворізького міського нотаріального округу Петренко Л. В., р. №1874 від 03.07.2018',
          reg_date: '2018-07-03',
        })),
      },
      {
        cadnum: `${RURAL_KOATUU}:01:002:0315`,
        koatuu: RURAL_KOATUU,
        area: '3.8700',
        unit_area: 'га',
        address: RURAL_ADDRESS,
        category: CATEGORY.agricultural,
        purpose: PURPOSE.farming,
        ownership: OWNERSHIP.private,
        normative_valuation: '148995.00',
        valuation_date: valuationDate,
        reg_date: '2005-11-14',
        restrictions: [{ ...ENERGY_ZONE, reg_date: '2014-03-05' }],
        rights: [{
          type_code: RIGHT.ownership.code, type: RIGHT.ownership.name, holder, share: '1/1',
          basis: 'Свідоцтво про право на спадщину за законом, р. №2-567 від 21.09.2016', reg_date: '2016-09-21',
        }],
      },
    ];
  }
  return [];
}
