import { z } from 'zod';

/** The water utility's REST v2 answers: snake_case, amounts as "1234.56" UAH, ISO dates. */

const isoDate = z.iso.date();
const amount = z.string().regex(/^-?\d+\.\d{2}$/, 'must be an amount like 1234.56');
const price = z.string().regex(/^\d+\.\d+$/, 'must be a price like 14.796');

const address = z.object({
  postcode: z.string(),
  city: z.string().min(1),
  street: z.string().min(1),
  building: z.string().min(1),
  flat: z.string().min(1).nullable(),
});

const charge = z.object({
  service: z.string(),
  volume_m3: z.number().nonnegative(),
  amount,
});

const bill = z.object({
  period_start: isoDate,
  period_end: isoDate,
  opening_balance: amount,
  charges: z.array(charge),
  paid: amount,
  closing_balance: amount,
});

const reading = z.object({
  meter_serial: z.string().min(1),
  read_on: isoDate,
  value_m3: z.number().nonnegative(),
  is_estimated: z.boolean(),
});

export const accountSchema = z.object({
  account_number: z.string().regex(/^\d{9}$/),
  status: z.enum(['active', 'disconnected', 'closed']),
  service_address: address,
  residents_count: z.int().nonnegative(),
  tariff_id: z.string().min(1),
  balance: amount,
  bills: z.array(bill),
  meter_readings: z.array(reading),
});

export const accountsPageSchema = z.object({
  data: z.array(accountSchema),
  meta: z.object({
    page: z.int().positive(),
    per_page: z.int().positive(),
    total: z.int().nonnegative(),
    total_pages: z.int().nonnegative(),
  }),
});

export const tariffsSchema = z.object({
  data: z.array(z.object({
    tariff_id: z.string().min(1),
    title: z.string().min(1),
    valid_from: isoDate,
    valid_to: isoDate.nullable(),
    components: z.array(z.object({
      service: z.enum(['water_supply', 'drainage']),
      title: z.string().min(1),
      price_per_m3: price,
    })).min(1),
  })),
});

export type AccountPayload = z.infer<typeof accountSchema>;
export type AccountsPagePayload = z.infer<typeof accountsPageSchema>;
export type TariffsPayload = z.infer<typeof tariffsSchema>;
