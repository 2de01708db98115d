import { z } from 'zod';

/**
 * The MVS registry's answers: records shaped like the public registrations data set (upper-case
 * field names, numbers as numbers, KOATUU as a number that loses its leading zero, DD.MM.YYYY
 * dates, Cyrillic plates), one record per registration operation, plus the certificate.
 */

const ddmmyyyy = z.string().regex(/^\d{2}\.\d{2}\.\d{4}$/);

export const recordSchema = z.object({
  PERSON: z.enum(['P', 'J']),
  REG_ADDR_KOATUU: z.int().min(0).max(9_999_999_999),
  OPER_CODE: z.int().min(0),
  OPER_NAME: z.string().min(1),
  D_REG: ddmmyyyy,
  DEP_CODE: z.int().min(0),
  DEP: z.string().min(1),
  BRAND: z.string().min(1),
  MODEL: z.string().min(1),
  VIN: z.string().min(1),
  MAKE_YEAR: z.int().min(1900).max(2100),
  COLOR: z.string().min(1),
  KIND: z.string().min(1),
  BODY: z.string().min(1),
  PURPOSE: z.string().min(1),
  FUEL: z.string().min(1),
  CAPACITY: z.number().nonnegative().nullable(),
  OWN_WEIGHT: z.number().nonnegative(),
  TOTAL_WEIGHT: z.number().nonnegative(),
  N_REG_NEW: z.string().min(1),
  SVID_SERIES: z.string().min(1),
  SVID_NUM: z.string().min(1),
  D_FIRST_REG: ddmmyyyy,
});

export type RecordDto = z.infer<typeof recordSchema>;

export const registrationsSchema = z.object({ records: z.array(recordSchema) });
