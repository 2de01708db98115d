import type { Response } from 'express';
import iconv from 'iconv-lite';
import type { Abonent } from './data.js';
import { GAS_VINNYTSIA_TARIFFS } from './tariffs.js';

/**
 * The legacy 1C billing system's text exports: `;`-separated, CRLF line ends, windows-1251,
 * a header row, decimal commas with a no-break space between thousands (1C's default number
 * format), dates `dd.mm.yyyy`, periods `MM.YYYY`, and `01.01.0001` for an empty date.
 */

/** One table for all record types; a row fills the columns of its type and leaves the rest empty. */
export const ABONENT_COLUMNS = [
  'ТИП', 'ІПН', 'ПІБ', 'ОС_РАХУНОК', 'EIC', 'ЛІЧИЛЬНИК', 'АДРЕСА', 'СТАТУС', 'КОД_ТАРИФУ', 'РІЧНИЙ_ОБСЯГ_М3', 'САЛЬДО',
  'ПЕРІОД', 'ОБСЯГ_М3', 'САЛЬДО_ПОЧ', 'НАРАХОВАНО', 'ОПЛАЧЕНО', 'ДО_СПЛАТИ',
  'ДАТА_ПОКАЗУ', 'ПОКАЗНИК', 'ОЦІНОЧНИЙ',
] as const;

export const TARIFF_COLUMNS = ['КОД', 'НАЙМЕНУВАННЯ', 'ДІЄ_З', 'ДІЄ_ПО', 'СКЛАДОВА', 'НАЗВА_СКЛАДОВОЇ', 'ЦІНА', 'ОД_ВИМ'] as const;

type AbonentColumn = (typeof ABONENT_COLUMNS)[number];

const NBSP = '\u00a0';
const EMPTY_DATE = '01.01.0001';

const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);

/** 135004 → "1 350,04" (no-break space); -5 → "-0,05". */
export function hryvnias(kop: number): string {
  const abs = Math.abs(kop);
  return `${kop < 0 ? '-' : ''}${grouped(String(Math.trunc(abs / 100)))},${String(abs % 100).padStart(2, '0')}`;
}

/** Litres as cubic metres with three decimals: 10269512 → "10 269,512". */
export function cubicMetres(litres: number): string {
  return `${grouped(String(Math.trunc(litres / 1000)))},${String(litres % 1000).padStart(3, '0')}`;
}

export const dmy = (iso: string | null) => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : EMPTY_DATE);
const monthYear = (period: string) => `${period.slice(5, 7)}.${period.slice(0, 4)}`;

/** 1C quotes a field only when it has to. */
function field(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map((row) => row.map(field).join(';')).join('\r\n') + '\r\n';
}

function row(values: Partial<Record<AbonentColumn, string>>): string[] {
  return ABONENT_COLUMNS.map((column) => values[column] ?? '');
}

/** All A rows, then all B rows, then all R rows, each by account: the export dumps one register after another. */
export function abonentsCsv(abonents: readonly Abonent[]): string {
  const sorted = [...abonents].sort((a, b) => a.accountNumber.localeCompare(b.accountNumber));
  const accounts = sorted.map((a) => row({
    ТИП: 'A', ІПН: a.taxId, ПІБ: a.fullName, ОС_РАХУНОК: a.accountNumber, EIC: a.eic, ЛІЧИЛЬНИК: a.meterNumber,
    АДРЕСА: a.address, СТАТУС: a.status, КОД_ТАРИФУ: a.tariffCode, РІЧНИЙ_ОБСЯГ_М3: cubicMetres(a.annualM3 * 1000),
    САЛЬДО: hryvnias(a.balanceKop),
  }));
  const bills = sorted.flatMap((a) => a.bills.map((b) => row({
    ТИП: 'B', ОС_РАХУНОК: a.accountNumber, ПЕРІОД: monthYear(b.period), ОБСЯГ_М3: cubicMetres(b.consumptionLitres),
    САЛЬДО_ПОЧ: hryvnias(b.openingKop), НАРАХОВАНО: hryvnias(b.accruedKop), ОПЛАЧЕНО: hryvnias(b.paidKop), ДО_СПЛАТИ: hryvnias(b.toPayKop),
  })));
  const readings = sorted.flatMap((a) => a.readings.map((r) => row({
    ТИП: 'R', ОС_РАХУНОК: a.accountNumber, ДАТА_ПОКАЗУ: dmy(r.takenOn), ПОКАЗНИК: cubicMetres(r.valueLitres), ОЦІНОЧНИЙ: r.estimated ? 'так' : 'ні',
  })));
  return csv(ABONENT_COLUMNS, [...accounts, ...bills, ...readings]);
}

export function tariffsCsv(): string {
  return csv(TARIFF_COLUMNS, GAS_VINNYTSIA_TARIFFS.flatMap((t) => [
    [t.code, t.name, dmy(t.validFrom), dmy(t.validTo), 'постачання', 'Постачання природного газу', hryvnias(t.supplyKop), 'м3'],
    [t.code, t.name, dmy(t.validFrom), dmy(t.validTo), 'розподіл', 'Розподіл природного газу', hryvnias(t.distributionKop), 'м3'],
  ]));
}

/** Sends text in windows-1251, as the legacy system does for its exports and its error messages alike. */
export function sendWin1251(res: Response, status: number, mediaType: 'text/csv' | 'text/plain', text: string): void {
  res.status(status).set('Content-Type', `${mediaType}; charset=windows-1251`).send(iconv.encode(text, 'windows-1251'));
}
