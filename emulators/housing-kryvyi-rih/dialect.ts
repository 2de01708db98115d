import { XMLBuilder } from 'fast-xml-parser';
import { formatMinorUnits } from '../../domain/money.js';
import type { HousingAccountRecord } from './data.js';
import { HOUSING_TARIFFS } from './tariffs.js';

/**
 * The company's XML export, written the way its old DBF-based billing names things: upper-case
 * transliterated field names as elements of a record, a month's figures as attributes of one
 * element, dates as YYYYMMDD and billing months as YYYYMM, amounts in hryvnias with a point.
 * UTF-8 throughout.
 *
 * `<rakhunok>` (an account, one flat): OS_RAH account number (9 digits, "12…"), STAN 1 active /
 * 0 closed, INDEKS MISTO VULYTSIA BUDYNOK KVARTYRA the flat's address, KOD_BUD the building's code,
 * KATEGORIIA the building's category in the price list (1 up to four storeys, 2 five storeys
 * without a lift, 3 nine and more with a lift), LIFT 1/0, PLOSHCHA the flat's total area in m²,
 * TARYF the tariff in force, SALDO the balance (positive: owed), and `<narakhuvannia>` with one
 * `<misiats>` per month, oldest first: PERIOD, PLOSHCHA billed, SALDO_POCH opening balance, NARAKH
 * accrued, OPLATA paid, DO_SPLATY to pay.
 * `<taryf>`: KOD, KATEGORIIA, DIIE_Z valid from, DIIE_PO valid to ("" while in force), NAZVA, and
 * `<skladova>` components: VYD UTR (maintenance) or LIFT, NAZVA, TSINA per m² a month, OD the unit.
 */

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, suppressEmptyNode: true });
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** YYYYMMDD from an ISO date. */
export function exportDate(iso: string): string {
  return iso.slice(0, 10).replace(/-/g, '');
}

/** "52.30" from hundredths. */
function area(centi: number): string {
  return `${Math.trunc(centi / 100)}.${String(centi % 100).padStart(2, '0')}`;
}

function account(a: HousingAccountRecord): unknown {
  return {
    OS_RAH: a.accountNumber,
    STAN: '1',
    INDEKS: a.address.postcode,
    MISTO: a.address.city,
    VULYTSIA: a.address.street,
    BUDYNOK: a.address.house,
    KVARTYRA: String(a.address.apartment),
    KOD_BUD: a.buildingCode,
    KATEGORIIA: String(a.category),
    LIFT: a.hasLift ? '1' : '0',
    PLOSHCHA: area(a.areaCenti),
    TARYF: a.tariffCode,
    SALDO: formatMinorUnits(a.balanceKop),
    narakhuvannia: {
      misiats: a.bills.map((b) => ({
        '@PERIOD': b.period.replace('-', ''),
        '@PLOSHCHA': area(b.areaCenti),
        '@SALDO_POCH': formatMinorUnits(b.openingKop),
        '@NARAKH': formatMinorUnits(b.accruedKop),
        '@OPLATA': formatMinorUnits(b.paidKop),
        '@DO_SPLATY': formatMinorUnits(b.toPayKop),
      })),
    },
  };
}

/** One `<abonent>` per tax id asked, in the order asked: ZNAIDENO="0" and no accounts when unknown. */
export function abonentsXml(asked: ReadonlyArray<[string, HousingAccountRecord[] | null]>, today: string): string {
  return DECLARATION + builder.build({
    abonents: {
      '@DATA': exportDate(today),
      abonent: asked.map(([ipn, accounts]) => ({
        '@IPN': ipn,
        '@ZNAIDENO': accounts ? '1' : '0',
        ...(accounts ? { rakhunok: accounts.map(account) } : {}),
      })),
    },
  });
}

export function tariffsXml(today: string): string {
  return DECLARATION + builder.build({
    taryfy: {
      '@DATA': exportDate(today),
      taryf: HOUSING_TARIFFS.map((t) => ({
        '@KOD': t.code,
        '@KATEGORIIA': String(t.category),
        '@DIIE_Z': exportDate(t.validFrom),
        '@DIIE_PO': t.validTo ? exportDate(t.validTo) : '',
        NAZVA: t.name,
        skladova: t.components.map((c) => ({
          '@VYD': c.kind === 'HOUSE_MAINTENANCE' ? 'UTR' : 'LIFT',
          '@NAZVA': c.name,
          '@TSINA': formatMinorUnits(c.priceKop),
          '@OD': 'грн/м2',
        })),
      })),
    },
  });
}

/** The company's error answer: `<pomylka KOD="…">text</pomylka>`. */
export function errorXml(code: string, text: string): string {
  return DECLARATION + builder.build({ pomylka: { '@KOD': code, '#text': text } });
}
