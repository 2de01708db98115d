import type { Citizen, Population, Rng } from '../population/index.js';
import {
  buildVin, CERTIFICATE_SERIES, COLORS, MODELS, OPERATIONS, PLATE_LETTERS, PLATE_REGIONS, SERVICE_CENTRES,
} from './catalogue.js';
import { demoRecords } from './demo.js';
import { ddmmyyyy, operation, vehicleFields, type MvsRecord } from './records.js';

export type { MvsRecord } from './records.js';

export const PARTNER_ID = 'vehicles-mvs';
/** Share of citizens with a registered vehicle. */
const SHARE = 0.4;
const DAY_MS = 86_400_000;

function dateBetween(rng: Rng, from: string, to: string): string {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.max(0, Math.floor((Date.parse(`${to}T00:00:00Z`) - start) / DAY_MS));
  return new Date(start + rng.int(0, days) * DAY_MS).toISOString().slice(0, 10);
}

function plate(rng: Rng): string {
  return `${rng.pick(PLATE_REGIONS)}${rng.digits(4)}${rng.pick(PLATE_LETTERS)}${rng.pick(PLATE_LETTERS)}`;
}

/** One vehicle's operations under this owner; `n` is unique per vehicle in the population, so VINs never collide. */
function vehicle(rng: Rng, n: number, asOf: string): MvsRecord[] {
  const spec = rng.pick(MODELS);
  const lastDay = new Date(Date.parse(`${asOf}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  const asOfYear = Number(asOf.slice(0, 4));
  const makeYear = rng.int(spec.years[0], Math.max(spec.years[0], Math.min(spec.years[1], asOfYear - 1)));
  const vin = buildVin(spec, makeYear, String((n * 7919 + 100_003) % 1_000_000).padStart(6, '0'));
  const firstReg = dateBetween(rng, `${makeYear}-01-15`, `${makeYear + 1}-06-30` < lastDay ? `${makeYear + 1}-06-30` : lastDay);
  const isNew = makeYear >= asOfYear - 3 && rng.chance(0.5);
  const op = isNew ? OPERATIONS.newFromDealer : rng.chance(0.7) ? OPERATIONS.sale : OPERATIONS.usedFromDealer;
  const regDate = isNew ? firstReg : dateBetween(rng, firstReg, lastDay);
  const depCode = rng.pick(SERVICE_CENTRES);
  const base = {
    PERSON: 'P' as const, REG_ADDR_KOATUU: 1211000000, ...vehicleFields(spec, vin, makeYear, rng.pick(COLORS)), D_FIRST_REG: ddmmyyyy(firstReg),
  };
  const records: MvsRecord[] = [{
    ...base, ...operation(op, regDate, depCode), N_REG_NEW: plate(rng), SVID_SERIES: rng.pick(CERTIFICATE_SERIES), SVID_NUM: rng.digits(6),
  }];
  if (rng.chance(0.15) && regDate < lastDay) {
    // A later plate change: a new plate and a new certificate, the earlier record stays in the history.
    records.push({
      ...base, ...operation(OPERATIONS.plateChange, dateBetween(rng, regDate, lastDay), depCode), N_REG_NEW: plate(rng),
      SVID_SERIES: rng.pick(CERTIFICATE_SERIES), SVID_NUM: rng.digits(6),
    });
  }
  return records;
}

/** The registration operations of a citizen's vehicles, oldest first; [] for one who has none. */
export function recordsOf(population: Population, citizen: Citizen): MvsRecord[] {
  if (!population.isCustomer(PARTNER_ID, citizen, SHARE)) return [];
  const demo = demoRecords(citizen);
  if (demo.length) return demo;
  const rng = population.rngFor(PARTNER_ID, citizen);
  const count = rng.chance(0.8) ? 1 : rng.chance(0.85) ? 2 : 3;
  return Array.from({ length: count }, (_, k) => vehicle(rng, citizen.index * 4 + k, population.asOf))
    .flat()
    .sort((a, b) => ddmmyyyyKey(a.D_REG).localeCompare(ddmmyyyyKey(b.D_REG)));
}

function ddmmyyyyKey(date: string): string {
  return date.split('.').reverse().join('-');
}

export interface VehicleEntry {
  owner: Citizen;
  /** The vehicle's operations under this owner, oldest first. */
  records: MvsRecord[];
}

/** Looks a vehicle up by VIN; the index over the population is built on first use. */
export function createVehicleIndex(population: Population): (vin: string) => VehicleEntry | undefined {
  let index: Map<string, VehicleEntry> | undefined;
  return (vin) => {
    if (!index) {
      index = new Map();
      for (const owner of population.citizens) {
        for (const record of recordsOf(population, owner)) {
          const entry = index.get(record.VIN) ?? { owner, records: [] };
          entry.records.push(record);
          index.set(record.VIN, entry);
        }
      }
    }
    return index.get(vin);
  };
}
