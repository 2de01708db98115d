import { checkVin, normalizePlate, plateToCyrillic, vinCheckDigitMatches } from '../../domain/identifiers.js';
import type { Provenance, Vehicle } from '../../domain/model.js';
import type { RecordDto } from './payload.js';

/** The MVS registry's dialect → the domain model. Throws plain errors; the caller makes them PARTNER_BAD_RESPONSE. */

/** "07.03.2019" → "2019-03-07", refusing dates that do not exist. */
export function isoDate(ddmmyyyy: string): string {
  const [d, m, y] = ddmmyyyy.split('.');
  const iso = `${y}-${m}-${d}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) throw new Error('a date does not exist');
  return iso;
}

function mapVehicle(r: RecordDto, source: Provenance): Vehicle {
  const vin = r.VIN.trim().toUpperCase();
  const vinProblem = checkVin(vin);
  if (vinProblem) throw new Error(`VIN ${vinProblem}`);
  const plate = normalizePlate(r.N_REG_NEW);
  if (!plate) throw new Error('plate is not a Ukrainian plate');
  const koatuu = String(r.REG_ADDR_KOATUU).padStart(10, '0');

  return {
    partnerId: source.partnerId,
    vin,
    vinCheckDigitValid: vinCheckDigitMatches(vin),
    plate,
    // The registry sometimes mixes Latin letters into a plate; the Cyrillic form is rebuilt from the normalised one.
    plateCyrillic: plateToCyrillic(plate),
    brand: r.BRAND,
    model: r.MODEL,
    makeYear: r.MAKE_YEAR,
    color: r.COLOR,
    kind: r.KIND,
    body: r.BODY,
    purpose: r.PURPOSE,
    fuel: r.FUEL,
    engineCapacityCm3: r.CAPACITY,
    ownWeightKg: r.OWN_WEIGHT,
    totalWeightKg: r.TOTAL_WEIGHT,
    registration: {
      operationCode: String(r.OPER_CODE),
      // "315 - ПЕРЕРЕЄСТРАЦІЯ …": the data set repeats the code in front of the name.
      operationName: r.OPER_NAME.replace(/^\s*\d+\s*-\s*/, '').trim(),
      date: isoDate(r.D_REG),
      serviceCentre: { code: String(r.DEP_CODE), name: r.DEP },
      koatuu,
      ownerKind: r.PERSON === 'P' ? 'PERSON' : 'LEGAL_ENTITY',
    },
    certificate: { series: r.SVID_SERIES, number: r.SVID_NUM, firstRegisteredOn: isoDate(r.D_FIRST_REG) },
    source,
  };
}

/**
 * A person's records are registration operations, several per vehicle when it was re-registered
 * (new plates, say): each vehicle is its newest operation (a later record wins a same-day tie).
 * Vehicles come newest registration first, then by VIN.
 */
export function mapVehicles(records: readonly RecordDto[], source: Provenance): Vehicle[] {
  const latest = new Map<string, Vehicle>();
  for (const record of records) {
    const vehicle = mapVehicle(record, source);
    const seen = latest.get(vehicle.vin);
    if (!seen || vehicle.registration.date >= seen.registration.date) latest.set(vehicle.vin, vehicle);
  }
  return [...latest.values()].sort((a, b) => b.registration.date.localeCompare(a.registration.date) || a.vin.localeCompare(b.vin));
}
