import { z } from 'zod';
import { checkEic } from '../../domain/identifiers.js';
import { parseDecimalToMinorUnits } from '../../domain/money.js';
import type { Columns } from './csv.js';

/**
 * The partner's 1C exports: column headers, and zod schemas that read one row's text fields into
 * values (decimal commas with no-break spaces between thousands, `dd.mm.yyyy`, `MM.YYYY`,
 * `01.01.0001` for an empty date, Ukrainian status words).
 */

export const ABONENT_COLUMNS = {
  type: 'ТИП', taxId: 'ІПН', accountNumber: 'ОС_РАХУНОК', eic: 'EIC', meterNumber: 'ЛІЧИЛЬНИК', address: 'АДРЕСА',
  status: 'СТАТУС', tariffCode: 'КОД_ТАРИФУ', annualM3: 'РІЧНИЙ_ОБСЯГ_М3', balance: 'САЛЬДО',
  period: 'ПЕРІОД', consumptionM3: 'ОБСЯГ_М3', opening: 'САЛЬДО_ПОЧ', accrued: 'НАРАХОВАНО', paid: 'ОПЛАЧЕНО', toPay: 'ДО_СПЛАТИ',
  takenOn: 'ДАТА_ПОКАЗУ', value: 'ПОКАЗНИК', estimated: 'ОЦІНОЧНИЙ',
} as const satisfies Columns<string>;

export const TARIFF_COLUMNS = {
  code: 'КОД', name: 'НАЙМЕНУВАННЯ', validFrom: 'ДІЄ_З', validTo: 'ДІЄ_ПО', kind: 'СКЛАДОВА', componentName: 'НАЗВА_СКЛАДОВОЇ', price: 'ЦІНА', unit: 'ОД_ВИМ',
} as const satisfies Columns<string>;

export type AbonentRow = Record<keyof typeof ABONENT_COLUMNS, string>;
export type TariffRow = Record<keyof typeof TARIFF_COLUMNS, string>;

const fail = (ctx: z.RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** "1 350,04" → 135004 kopiyky, never through a float. */
const kopiyky = z.string().transform((text, ctx) => parseDecimalToMinorUnits(text) ?? fail(ctx, 'not an amount'));

/** "10 269,512" → 10269.512 (cubic metres are not money: a number is fine). */
const cubicMetres = z.string().transform((text, ctx) => {
  const t = text.replace(/[\s\u00a0]/g, '');
  return /^\d+(,\d{1,3})?$/.test(t) ? Number(t.replace(',', '.')) : fail(ctx, 'not a quantity');
});

/** "01.11.2026" → "2026-11-01", checked to be a real day. */
const date = z.string().transform((text, ctx) => {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  const iso = m ? `${m[3]}-${m[2]}-${m[1]}` : '';
  return m && !Number.isNaN(Date.parse(iso)) && new Date(iso).toISOString().startsWith(iso) ? iso : fail(ctx, 'not a dd.mm.yyyy date');
});

/** 1C prints an empty date as 01.01.0001. */
const dateOrEmpty = z.union([z.enum(['01.01.0001', '']).transform(() => null), date]);

const period = z.string().regex(/^(0[1-9]|1[0-2])\.\d{4}$/).transform((p) => `${p.slice(3)}-${p.slice(0, 2)}`);
const accountNumber = z.string().regex(/^\d{10}$/);

export const accountRowSchema = z.object({
  type: z.literal('A'),
  taxId: z.string().regex(/^\d{10}$/),
  accountNumber,
  eic: z.string().refine((eic) => checkEic(eic) === null, 'not a valid EIC'),
  meterNumber: z.string().min(1),
  address: z.string().min(1),
  status: z.enum(['діючий', 'відключений', 'закритий']),
  tariffCode: z.string().min(1),
  annualM3: cubicMetres,
  balance: kopiyky,
});

export const billRowSchema = z.object({
  type: z.literal('B'),
  accountNumber,
  period,
  consumptionM3: cubicMetres,
  opening: kopiyky,
  accrued: kopiyky,
  paid: kopiyky,
  toPay: kopiyky,
});

export const readingRowSchema = z.object({
  type: z.literal('R'),
  accountNumber,
  takenOn: date,
  value: cubicMetres,
  estimated: z.enum(['так', 'ні']).transform((flag) => flag === 'так'),
});

export const tariffRowSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  validFrom: date,
  validTo: dateOrEmpty,
  kind: z.enum(['постачання', 'розподіл']),
  componentName: z.string().min(1),
  price: z.string().regex(/^\d+(,\d+)?$/).transform((p) => p.replace(',', '.')),
  unit: z.literal('м3'),
});

export const tariffRowsSchema = z.array(tariffRowSchema);

export type AccountRow = z.infer<typeof accountRowSchema>;
export type BillRow = z.infer<typeof billRowSchema>;
export type ReadingRow = z.infer<typeof readingRowSchema>;
export type TariffComponentRow = z.infer<typeof tariffRowSchema>;

/** One account as the export spreads it over rows: its A row with its B and R rows. */
export interface AccountRecord {
  account: AccountRow;
  bills: BillRow[];
  readings: ReadingRow[];
}
