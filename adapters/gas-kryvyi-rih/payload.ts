import { z } from 'zod';
import { checkEic } from '../../domain/identifiers.js';

/** The gas distributor's answers, as its REST/JSON API sends them (camelCase, kopiyky, ISO dates). */

const isoDate = z.iso.date();
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const kop = z.int();

export const tariffSchema = z.object({
  id: z.string().min(1),
  service: z.literal('gas'),
  name: z.string().min(1),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  components: z.array(z.object({
    kind: z.enum(['supply', 'distribution']),
    name: z.string().min(1),
    pricePerUnit: z.string().regex(/^\d+(\.\d+)?$/),
    unit: z.literal('m3'),
  })).min(1),
});

export const tariffListSchema = z.array(tariffSchema);

const addressSchema = z.object({
  postcode: z.string().regex(/^\d{5}$/),
  city: z.string().min(1),
  street: z.string().min(1),
  house: z.string().min(1),
  apartment: z.int().positive().nullable(),
});

const billSchema = z.object({
  period,
  consumptionM3: z.number().nonnegative(),
  openingBalanceKop: kop,
  accruedKop: kop,
  paidKop: kop,
  toPayKop: kop,
});

const readingSchema = z.object({
  takenOn: isoDate,
  valueM3: z.number().nonnegative(),
  estimated: z.boolean(),
});

export const accountSchema = z.object({
  accountNumber: z.string().regex(/^\d{10}$/),
  eic: z.string().refine((eic) => checkEic(eic) === null, 'not a valid EIC'),
  meterNumber: z.string().min(1),
  address: addressSchema,
  status: z.enum(['active', 'disconnected', 'closed']),
  tariffId: z.string().min(1),
  annualConsumptionM3: z.number().nonnegative(),
  balanceKop: kop,
  bills: z.array(billSchema),
  readings: z.array(readingSchema),
});

/** Only the envelope: each result is checked on its own, so one bad record fails only its key. */
export const lookupEnvelopeSchema = z.object({
  results: z.array(z.object({ taxId: z.string() }).loose()),
});

export const lookupResultSchema = z.discriminatedUnion('found', [
  z.object({ taxId: z.string(), found: z.literal(true), accounts: z.array(accountSchema) }),
  z.object({ taxId: z.string(), found: z.literal(false) }),
]);

export type TariffDto = z.infer<typeof tariffSchema>;
export type AccountDto = z.infer<typeof accountSchema>;
