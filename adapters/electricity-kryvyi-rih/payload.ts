import { z } from 'zod';

/** The electricity supplier's answers: camelCase, money in integer kopiyky, prices in kopiyky per kWh ("172.8"). */

const isoDate = z.iso.date();
const kop = z.int();
const zone = z.enum(['all-day', 'day', 'night', 'peak', 'half-peak']);

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.int().positive(),
});

const invoice = z.object({
  billingMonth: isoDate,
  openingBalanceKop: kop,
  chargedKop: kop,
  paidKop: kop,
  closingBalanceKop: kop,
  consumptionKwh: z.number().nonnegative().nullable(),
});

const reading = z.object({
  readingDate: isoDate,
  zone,
  valueKwh: z.number().nonnegative(),
  origin: z.enum(['AMR', 'CUSTOMER', 'ESTIMATED']),
});

export const meteringPointSchema = z.object({
  eic: z.string(),
  personalAccount: z.string().regex(/^\d{10}$/),
  supplyAddress: z.string().min(1),
  state: z.enum(['CONNECTED', 'DISCONNECTED', 'TERMINATED']),
  zoneCount: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  tariffCode: z.string().min(1),
  meter: z.object({ serialNumber: z.string().min(1), model: z.string() }),
  balanceKop: kop,
  invoices: z.array(invoice),
  readings: z.array(reading),
});

export const meteringPointsSchema = z.object({
  meteringPoints: z.array(meteringPointSchema),
});

/** The body of a 404: the supplier says outright when it does not know the customer. */
export const notFoundSchema = z.object({ error: z.literal('customer_not_found') });

export const tariffsSchema = z.object({
  tariffs: z.array(z.object({
    code: z.string().min(1),
    title: z.string().min(1),
    zoneCount: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable(),
    rates: z.array(z.object({
      zone,
      label: z.string().min(1),
      hours: z.array(z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/)).min(1),
      priceKopPerKwh: z.string().regex(/^\d+(\.\d+)?$/, 'must be kopiyky like 172.8'),
    })).min(1),
  })),
});

export type MeteringPointPayload = z.infer<typeof meteringPointSchema>;
export type TariffsPayload = z.infer<typeof tariffsSchema>;
