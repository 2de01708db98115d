import { CITY_KOATUU, REGISTRARS } from './catalogue.js';
import type { DzkParcel } from './data.js';
import { extractDigits, printedDate, textDocument, type ExtractDocument } from '../kit/x-road.js';

export interface DzkExtract {
  extractNumber: string;
  issuedAt: string;
  registrar: string;
  content: string;
  document: ExtractDocument;
}

function rightLine(r: DzkParcel['rights'][number], i: number): string {
  return `  ${i + 1}. ${r.type}; суб'єкт: ${r.holder}; частка: ${r.share}; підстава: ${r.basis}; дата реєстрації: ${printedDate(r.reg_date)}`;
}

/** An extract about one parcel, issued at `now`; its number is the same for the same parcel and day. */
export function parcelExtract(parcel: DzkParcel, now: Date): DzkExtract {
  const issuedAt = now.toISOString();
  const extractNumber = `НВ-${extractDigits(parcel.cadnum, issuedAt.slice(0, 10))}`;
  const registrar = parcel.koatuu === CITY_KOATUU ? REGISTRARS.city : REGISTRARS.rural;
  const restrictions = parcel.restrictions.length
    ? parcel.restrictions.map((r) => `  ${r.code} ${r.name}; дата реєстрації: ${printedDate(r.reg_date)}`)
    : ['  відсутні'];
  const content = [
    'ВИТЯГ З ДЕРЖАВНОГО ЗЕМЕЛЬНОГО КАДАСТРУ ПРО ЗЕМЕЛЬНУ ДІЛЯНКУ',
    `Номер витягу: ${extractNumber}`,
    `Дата формування: ${printedDate(issuedAt)}`,
    `Кадастровий номер: ${parcel.cadnum}`,
    `КОАТУУ: ${parcel.koatuu}`,
    `Місце розташування: ${parcel.address}`,
    `Площа: ${parcel.area} ${parcel.unit_area}`,
    `Категорія земель: ${parcel.category.code} ${parcel.category.name}`,
    `Цільове призначення: ${parcel.purpose.code} ${parcel.purpose.name}`,
    `Форма власності: ${parcel.ownership.name}`,
    `Нормативна грошова оцінка: ${parcel.normative_valuation} грн станом на ${printedDate(parcel.valuation_date)}`,
    `Дата державної реєстрації земельної ділянки: ${printedDate(parcel.reg_date)}`,
    'Обмеження у використанні земельної ділянки:',
    ...restrictions,
    'Відомості про речові права на земельну ділянку:',
    ...parcel.rights.map(rightLine),
    `Витяг сформував: ${registrar}`,
    '',
  ].join('\n');
  const fileName = `dzk-extract-${parcel.cadnum.replaceAll(':', '-')}.txt`;
  return { extractNumber, issuedAt, registrar, content, document: textDocument(content, fileName) };
}
