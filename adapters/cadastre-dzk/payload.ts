import { z } from 'zod';

/**
 * The State Geo-Cadastre's answers: snake_case fields as on the public cadastre map, ISO dates,
 * hectares and hryvnias as decimal strings, classifier entries as { code, name }.
 */

const isoDate = z.iso.date();
const codeName = z.object({ code: z.string().min(1), name: z.string().min(1) });

/** Kinds of real rights: 1 ownership, 2 lease, 3 permanent use. */
export const RIGHT_CODES = ['1', '2', '3'] as const;
/** Forms of ownership: 100 private, 200 state, 300 communal. */
export const OWNERSHIP_CODES = ['100', '200', '300'] as const;

export const parcelSchema = z.object({
  cadnum: z.string().min(1),
  koatuu: z.string().regex(/^\d{10}$/),
  area: z.string().regex(/^\d+(\.\d{1,4})?$/),
  unit_area: z.literal('га'),
  address: z.string().min(1),
  category: codeName,
  purpose: codeName,
  ownership: codeName.extend({ code: z.enum(OWNERSHIP_CODES) }),
  normative_valuation: z.string().regex(/^\d+(\.\d{1,2})?$/),
  valuation_date: isoDate,
  reg_date: isoDate,
  // The registry leaves empty lists out for some older parcels.
  restrictions: z.array(codeName.extend({ reg_date: isoDate })).default([]),
  rights: z.array(z.object({
    type_code: z.enum(RIGHT_CODES),
    type: z.string().min(1),
    holder: z.string().min(1),
    share: z.string().regex(/^[1-9]\d*\/[1-9]\d*$/),
    basis: z.string().min(1),
    reg_date: isoDate,
  })).default([]),
});

export type ParcelDto = z.infer<typeof parcelSchema>;

export const parcelListSchema = z.array(parcelSchema);

/** The batch answer; each owner's parcels are checked on their own, so one bad record fails one key. */
export const ownersEnvelopeSchema = z.object({
  owners: z.array(z.object({ taxId: z.string(), parcels: z.array(z.unknown()) })),
});
