import { decodeRnokpp, encodeRnokpp } from '../../domain/identifiers.js';
import { createRng, type Rng } from './random.js';
import { CITY, FATHERS, FEMALE_FIRST, MALE_FIRST, STREETS, SURNAMES, patronymic } from './names.js';

/**
 * The synthetic population every emulator serves: deterministic from a seed, so the same seed and
 * the same reference month give the same citizens and the same records at every partner.
 */

export interface Address {
  city: string;
  koatuu: string;
  postcode: string;
  street: string;
  house: string;
  apartment: number | null;
}

export interface Citizen {
  index: number;
  taxId: string;
  lastName: string;
  firstName: string;
  patronymic: string;
  sex: 'MALE' | 'FEMALE';
  birthDate: string;
  housing: 'APARTMENT' | 'HOUSE';
  address: Address;
}

export interface Population {
  seed: string;
  /** First day of the reference month (YYYY-MM-01): bills cover the twelve months before it. */
  asOf: string;
  citizens: readonly Citizen[];
  byTaxId(taxId: string): Citizen | undefined;
  /** A random stream for one partner's records of one citizen, independent of every other. */
  rngFor(partner: string, citizen: Citizen): Rng;
  /** Whether a citizen is a customer of a partner; demo citizens always are. */
  isCustomer(partner: string, citizen: Citizen, share: number): boolean;
  /** The `count` billing months before asOf, newest first, as YYYY-MM. */
  months(count: number): string[];
}

export interface PopulationOptions {
  seed?: string;
  size?: number;
  /** Any date in the reference month; defaults to the current month. */
  asOf?: string;
}

/** Demo citizens: always present, customers of every partner. */
export const DEMO_CITIZENS = [
  { taxId: '3111901220', lastName: 'Коваленко', firstName: 'Олена', patronymic: 'Петрівна', street: 'просп. Металургів', house: '28', apartment: 41 },
  { taxId: '2660404572', lastName: 'Шевченко', firstName: 'Андрій', patronymic: 'Іванович', street: 'вул. Соборності', house: '7', apartment: null },
] as const;

export const DEMO_TAX_IDS: readonly string[] = DEMO_CITIZENS.map((c) => c.taxId);

function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function formatAddress(a: Omit<Address, 'city' | 'koatuu' | 'postcode'>, rng: Rng): Address {
  return { city: CITY.name, koatuu: CITY.koatuu, postcode: `${CITY.postcodePrefix}${rng.digits(3)}`, ...a };
}

export function addressLine(a: Address): string {
  return `${a.postcode}, м. ${a.city}, ${a.street}, буд. ${a.house}${a.apartment ? `, кв. ${a.apartment}` : ''}`;
}

export function createPopulation(options: PopulationOptions = {}): Population {
  const seed = options.seed ?? 'vikno';
  const size = Math.max(options.size ?? 10_000, DEMO_CITIZENS.length);
  const asOf = monthStart(options.asOf ?? new Date().toISOString());
  const citizens: Citizen[] = [];
  const index = new Map<string, Citizen>();

  DEMO_CITIZENS.forEach((demo, i) => {
    const rng = createRng(seed, 'citizen', i);
    const { birthDate, sex } = decodeRnokpp(demo.taxId);
    const housing = demo.apartment ? 'APARTMENT' : 'HOUSE';
    const address = formatAddress({ street: demo.street, house: demo.house, apartment: demo.apartment }, rng);
    citizens.push({ index: i, taxId: demo.taxId, lastName: demo.lastName, firstName: demo.firstName, patronymic: demo.patronymic, sex, birthDate, housing, address });
  });

  for (let i = DEMO_CITIZENS.length; i < size; i++) {
    const rng = createRng(seed, 'citizen', i);
    const sex = rng.chance(0.5) ? 'MALE' : 'FEMALE';
    const birthDate = new Date(Date.UTC(rng.int(1940, 2006), rng.int(0, 11), rng.int(1, 28))).toISOString().slice(0, 10);
    let serial = rng.int(0, 999);
    let taxId = encodeRnokpp(birthDate, serial, sex);
    while (index.has(taxId) || DEMO_TAX_IDS.includes(taxId)) taxId = encodeRnokpp(birthDate, ++serial, sex);
    const housing = rng.chance(0.7) ? 'APARTMENT' : 'HOUSE';
    const address = formatAddress({
      street: rng.pick(STREETS),
      house: String(rng.int(1, 120)),
      apartment: housing === 'APARTMENT' ? rng.int(1, 180) : null,
    }, rng);
    const surname = rng.pick(SURNAMES);
    const citizen: Citizen = {
      index: i, taxId, sex, birthDate, housing, address,
      lastName: surname,
      firstName: rng.pick(sex === 'MALE' ? MALE_FIRST : FEMALE_FIRST),
      patronymic: patronymic(rng.pick(FATHERS), sex),
    };
    citizens.push(citizen);
    index.set(taxId, citizen);
  }
  for (const c of citizens.slice(0, DEMO_CITIZENS.length)) index.set(c.taxId, c);

  return {
    seed,
    asOf,
    citizens,
    byTaxId: (taxId) => index.get(taxId),
    rngFor: (partner, citizen) => createRng(seed, partner, citizen.index),
    isCustomer: (partner, citizen, share) =>
      citizen.index < DEMO_CITIZENS.length || createRng(seed, partner, 'customer', citizen.index).chance(share),
    months(count) {
      const [y, m] = asOf.split('-').map(Number);
      return Array.from({ length: count }, (_, k) => {
        const d = new Date(Date.UTC(y, m - 2 - k, 1));
        return d.toISOString().slice(0, 7);
      });
    },
  };
}
