import { z } from 'zod';

/**
 * The export's answers after XML parsing (xml.ts): every value a string, attributes under "@NAME",
 * dates YYYYMMDD, billing months YYYYMM, amounts "1234.56" with a point. A record's lists are
 * arrays of repeated elements (or absent); an element with only attributes and no content is an
 * object of them, an empty one is "".
 */

const text = z.string().min(1);
const amount = z.string().regex(/^-?\d+\.\d{2}$/, 'must be an amount like 1234.56');
const area = z.string().regex(/^\d+(\.\d{1,2})?$/, 'must be an area like 52.30');
const price = z.string().regex(/^\d+\.\d{2,4}$/, 'must be a price like 7.31');
const exportDate = z.string().regex(/^\d{8}$/, 'must be a date like 20251201');
const period = z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/, 'must be a month like 202510');

/** `<abonents/>` or `<abonents DATA=".."/>` with no records: the list is empty. */
const emptyIsObject = (value: unknown) => (value === '' ? {} : value);

export const abonentsEnvelopeSchema = z.object({
  abonents: z.preprocess(emptyIsObject, z.object({
    abonent: z.array(z.unknown()).default([]),
  })),
});

const billSchema = z.object({
  '@PERIOD': period,
  '@PLOSHCHA': area,
  '@SALDO_POCH': amount,
  '@NARAKH': amount,
  '@OPLATA': amount,
  '@DO_SPLATY': amount,
});

export const accountSchema = z.object({
  OS_RAH: z.string().regex(/^12\d{7}$/, 'must be the company\'s 9-digit account number'),
  STAN: z.enum(['1', '0']),
  INDEKS: z.string().regex(/^\d{5}$/),
  MISTO: text,
  VULYTSIA: text,
  BUDYNOK: text,
  KVARTYRA: text,
  KOD_BUD: text,
  KATEGORIIA: z.enum(['1', '2', '3']),
  LIFT: z.enum(['1', '0']),
  PLOSHCHA: area,
  TARYF: text,
  SALDO: amount,
  narakhuvannia: z.preprocess(emptyIsObject, z.object({ misiats: z.array(billSchema).default([]) })).optional(),
});

/** One `<abonent>`: found (with its accounts) or not. */
export const abonentSchema = z.discriminatedUnion('@ZNAIDENO', [
  z.object({ '@IPN': z.string(), '@ZNAIDENO': z.literal('0') }),
  z.object({ '@IPN': z.string(), '@ZNAIDENO': z.literal('1'), rakhunok: z.array(accountSchema).default([]) }),
]);

/** Just enough of an `<abonent>` to know whose it is, before the whole record is checked. */
export const abonentKeySchema = z.object({ '@IPN': z.string() });

const componentSchema = z.object({
  '@VYD': z.enum(['UTR', 'LIFT']),
  '@NAZVA': text,
  '@TSINA': price,
  '@OD': z.literal('грн/м2'),
});

const tariffSchema = z.object({
  '@KOD': text,
  '@KATEGORIIA': z.enum(['1', '2', '3']),
  '@DIIE_Z': exportDate,
  '@DIIE_PO': z.union([exportDate, z.literal('')]).optional(),
  NAZVA: text,
  skladova: z.array(componentSchema).min(1),
});

export const tariffsSchema = z.object({
  taryfy: z.preprocess(emptyIsObject, z.object({ taryf: z.array(tariffSchema).default([]) })),
});

export type AccountDto = z.infer<typeof accountSchema>;
export type AbonentDto = z.infer<typeof abonentSchema>;
export type TariffDto = z.infer<typeof tariffSchema>;
