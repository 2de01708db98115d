import { z } from 'zod';

/**
 * The billing service's answers after XML parsing: every value is a string, dates are dd.mm.yyyy,
 * decimals have a comma. Lists arrive as a container element with repeated items (or empty).
 */

const text = z.string().min(1);
const legacyDate = z.string().regex(/^\d{2}\.\d{2}\.\d{4}$/);
const money = z.string().regex(/^-?\d+(,\d{1,2})?$/);
const quantity = z.string().regex(/^\d+(,\d+)?$/);
const accountNumber = z.string().regex(/^\d{10}$/);

/** A list container: `<C/>` or a missing element is an empty list, `<C><item/>…</C>` its items. */
function list<T extends z.ZodType>(item: string, schema: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === '') return [];
    if (value && typeof value === 'object' && item in value) return (value as Record<string, unknown>)[item];
    return value;
  }, z.array(schema));
}

export const findAccountsSchema = z.object({
  FindAccountsByTaxIdResult: list('string', accountNumber),
});

const billSchema = z.object({
  Period: legacyDate,
  SaldoPoch: money,
  Narakhovano: money,
  Oplacheno: money,
  DoSplaty: money,
  Obsiah: quantity,
  Odynytsia: z.enum(['Гкал', 'м2']),
});

const readingSchema = z.object({
  DataZniattia: legacyDate,
  Znachennia: quantity,
  Otsinochnyi: z.enum(['0', '1']),
});

export const accountSchema = z.object({
  OsRakhunok: accountNumber,
  Adresa: z.object({
    Indeks: z.string().regex(/^\d{5}$/),
    NasPunkt: text,
    Vulytsia: text,
    Budynok: text,
    Kvartyra: text.optional(),
  }),
  KodStanu: z.enum(['1', '2', '3']),
  SposibObliku: z.enum(['LICH', 'PLOSH']),
  OpalPloshcha: quantity,
  KodTaryfu: text,
  Saldo: money,
  Lichylnyk: z.object({ ZavNomer: text }).optional(),
  Narakhuvannia: list('Misiats', billSchema),
  Pokaznyky: list('Pokaznyk', readingSchema),
});

export const getAccountSchema = z.object({ GetAccountResult: accountSchema });

const tariffSchema = z.object({
  Kod: text,
  Nazva: text,
  DiieZ: legacyDate,
  DiieDo: z.union([legacyDate, z.literal('')]).optional(),
  Skladovi: list('Skladova', z.object({
    Vyd: z.enum(['HEAT_ENERGY', 'HEAT_TRANSPORT', 'HEAT_SUPPLY_SERVICE', 'HEATING_BY_AREA']),
    Nazva: text,
    Tsina: quantity,
    Odynytsia: z.enum(['GCAL', 'M2']),
  })),
});

export const getTariffsSchema = z.object({ GetTariffsResult: list('Taryf', tariffSchema) });

export type AccountDto = z.infer<typeof accountSchema>;
export type TariffDto = z.infer<typeof tariffSchema>;
