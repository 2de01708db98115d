import { formatMinorUnits } from '../../domain/money.js';
import { addressLine, type Citizen, type Population, type Rng } from '../population/index.js';
import { FATHERS, FEMALE_FIRST, MALE_FIRST, patronymic } from '../population/names.js';
import {
  CATEGORY, CITY_COUNCIL, CITY_KOATUU, GARAGE_COOPERATIVES, GARDEN_SOCIETIES, INDUSTRIAL_ZONES, NOTARIES, OWNERSHIP, PURPOSE, RESTRICTIONS,
  RIGHT, RURAL_ADDRESS, RURAL_KOATUU, STATE_ACT_SERIES, type CodeName,
} from './catalogue.js';
import { demoParcels } from './demo.js';
import { printedDate } from '../kit/x-road.js';

/** A parcel as the State Geo-Cadastre answers it: snake_case fields, ISO dates, hectares and UAH as decimal strings. */
export interface DzkParcel {
  cadnum: string;
  koatuu: string;
  area: string;
  unit_area: 'га';
  address: string;
  category: CodeName;
  purpose: CodeName;
  ownership: CodeName;
  normative_valuation: string;
  valuation_date: string;
  reg_date: string;
  restrictions: Array<CodeName & { reg_date: string }>;
  rights: Array<{ type_code: string; type: string; holder: string; share: string; basis: string; reg_date: string }>;
}

export const PARTNER_ID = 'cadastre-dzk';
/** Share of citizens who own or use a parcel. */
const SHARE = 0.35;
/**
 * Share of parcel holders who also own a commercial plot in the city: 3 to 6 ha valued above
 * 21.5 million UAH, more kopiyky than a 32-bit integer holds, so large amounts are exercised end to end.
 */
const COMMERCIAL_SHARE = 0.03;
const DAY_MS = 86_400_000;

type Kind = 'homestead' | 'garden' | 'garage' | 'farming' | 'commercial';

export function fullName(c: { lastName: string; firstName: string; patronymic: string }): string {
  return `${c.lastName} ${c.firstName} ${c.patronymic}`;
}

/** 800 m² → "0.0800": hectares with four places, from whole square metres (no float). */
export function hectares(m2: number): string {
  return `${Math.trunc(m2 / 10_000)}.${String(m2 % 10_000).padStart(4, '0')}`;
}

function dateBetween(rng: Rng, from: string, to: string): string {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.max(0, Math.floor((Date.parse(`${to}T00:00:00Z`) - start) / DAY_MS));
  return new Date(start + rng.int(0, days) * DAY_MS).toISOString().slice(0, 10);
}

function spouseOf(citizen: Citizen, rng: Rng): string {
  const sex = citizen.sex === 'MALE' ? 'FEMALE' : 'MALE';
  return fullName({ lastName: citizen.lastName, firstName: rng.pick(sex === 'MALE' ? MALE_FIRST : FEMALE_FIRST), patronymic: patronymic(rng.pick(FATHERS), sex) });
}

function ownershipBasis(rng: Rng, regDate: string, lastDay: string): { basis: string; date: string } {
  if (Number(regDate.slice(0, 4)) <= 2012 && rng.chance(0.6)) {
    return { basis: `Державний акт на право власності на земельну ділянку ${rng.pick(STATE_ACT_SERIES)} №${rng.digits(6)} від ${printedDate(regDate)}`, date: regDate };
  }
  const date = dateBetween(rng, regDate, lastDay);
  const basis = rng.chance(0.6)
    ? `Договір купівлі-продажу земельної ділянки, посвідчений приватним нотаріусом Криворізького міського нотаріального округу ${rng.pick(NOTARIES)}, р. №${rng.int(100, 4999)} від ${printedDate(date)}`
    : `Свідоцтво про право на спадщину за законом, р. №${rng.int(1, 9)}-${rng.int(100, 999)} від ${printedDate(date)}`;
  return { basis, date };
}

function rights(kind: Kind, citizen: Citizen, rng: Rng, regDate: string, lastDay: string): DzkParcel['rights'] {
  const holder = fullName(citizen);
  if (kind === 'garage') {
    const leased = dateBetween(rng, regDate, lastDay);
    return [
      { type_code: RIGHT.ownership.code, type: RIGHT.ownership.name, holder: CITY_COUNCIL, share: '1/1', basis: `Рішення Криворізької міської ради №${rng.int(100, 3999)} від ${printedDate(regDate)}`, reg_date: regDate },
      { type_code: RIGHT.lease.code, type: RIGHT.lease.name, holder, share: '1/1', basis: `Договір оренди землі №${rng.int(1, 999)} від ${printedDate(leased)}`, reg_date: leased },
    ];
  }
  const { basis, date } = ownershipBasis(rng, regDate, lastDay);
  const owners = kind !== 'farming' && rng.chance(0.2) ? [holder, spouseOf(citizen, rng)] : [holder];
  const share = owners.length === 2 ? '1/2' : '1/1';
  return owners.map((name) => ({ type_code: RIGHT.ownership.code, type: RIGHT.ownership.name, holder: name, share, basis, reg_date: date }));
}

const AREA_M2: Record<Kind, [number, number]> = {
  homestead: [600, 1500], garden: [400, 1200], garage: [18, 30], farming: [20_000, 65_000], commercial: [30_000, 60_000],
};
/** Normative valuation in kopiyky per m². */
const RATE: Record<Kind, [number, number]> = {
  homestead: [30_000, 65_000], garden: [4_500, 12_000], garage: [30_000, 65_000], farming: [300, 450], commercial: [75_000, 90_000],
};

function place(kind: Kind, citizen: Citizen, rng: Rng): string {
  switch (kind) {
    case 'homestead': return addressLine(citizen.address);
    case 'garden': return `м. Кривий Ріг, СТ «${rng.pick(GARDEN_SOCIETIES)}», ділянка ${rng.int(1, 400)}`;
    case 'garage': return `м. Кривий Ріг, ГК «${rng.pick(GARAGE_COOPERATIVES)}», бокс ${rng.int(1, 600)}`;
    case 'farming': return RURAL_ADDRESS;
    case 'commercial': return `м. Кривий Ріг, промзона «${rng.pick(INDUSTRIAL_ZONES)}», ділянка ${rng.int(1, 90)}`;
  }
}

/** `serial` is unique per parcel in the population, so cadastral numbers never collide. */
function parcel(kind: Kind, citizen: Citizen, rng: Rng, serial: number, asOf: string): DzkParcel {
  const year = Number(asOf.slice(0, 4));
  const lastDay = new Date(Date.parse(`${asOf}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  const regDate = dateBetween(rng, '2004-01-01', `${Math.min(year - 1, 2024)}-12-31`);
  const koatuu = kind === 'farming' ? RURAL_KOATUU : CITY_KOATUU;
  const zone = String(3 + Math.floor(serial / 9999)).padStart(2, '0');
  const cadnum = `${koatuu}:${zone}:${String(rng.int(1, 250)).padStart(3, '0')}:${String(1 + (serial % 9999)).padStart(4, '0')}`;
  const m2 = rng.int(...AREA_M2[kind]);
  const restrictions = rng.chance(0.25) ? [{ ...rng.pick(RESTRICTIONS), reg_date: dateBetween(rng, regDate, lastDay) }] : [];
  return {
    cadnum,
    koatuu,
    area: hectares(m2),
    unit_area: 'га',
    address: place(kind, citizen, rng),
    category: kind === 'homestead' || kind === 'garage' || kind === 'commercial' ? CATEGORY.residential : CATEGORY.agricultural,
    purpose: PURPOSE[kind],
    ownership: kind === 'garage' ? OWNERSHIP.communal : OWNERSHIP.private,
    normative_valuation: formatMinorUnits(m2 * rng.int(...RATE[kind])),
    valuation_date: `${year}-01-01`,
    reg_date: regDate,
    restrictions,
    rights: rights(kind, citizen, rng, regDate, lastDay),
  };
}

/** The parcels a citizen owns or uses; [] for one who has none. */
export function parcelsOf(population: Population, citizen: Citizen): DzkParcel[] {
  if (!population.isCustomer(PARTNER_ID, citizen, SHARE)) return [];
  const valuationDate = `${population.asOf.slice(0, 4)}-01-01`;
  const demo = demoParcels(citizen, fullName(citizen), valuationDate);
  if (demo.length) return demo;
  const rng = population.rngFor(PARTNER_ID, citizen);
  const count = rng.chance(0.7) ? 1 : rng.chance(0.85) ? 2 : 3;
  const others: Kind[] = ['garden', 'garage', 'farming'];
  const kinds: Kind[] = [citizen.housing === 'HOUSE' ? 'homestead' : rng.pick(others)];
  while (kinds.length < count) kinds.push(rng.pick(others));
  const parcels = kinds.map((kind, k) => parcel(kind, citizen, rng, citizen.index * 3 + k, population.asOf));
  // A stream of its own, so the parcels above are the same with or without it; serials past every
  // other parcel's, so its cadastral number collides with none.
  const commercial = population.rngFor(`${PARTNER_ID}:commercial`, citizen);
  if (commercial.chance(COMMERCIAL_SHARE)) {
    parcels.push(parcel('commercial', citizen, commercial, population.citizens.length * 3 + citizen.index, population.asOf));
  }
  return parcels;
}

/** Looks a parcel up by cadastral number; the index over the population is built on first use. */
export function createParcelIndex(population: Population): (cadnum: string) => DzkParcel | undefined {
  let index: Map<string, DzkParcel> | undefined;
  return (cadnum) => {
    if (!index) {
      index = new Map();
      for (const citizen of population.citizens) for (const p of parcelsOf(population, citizen)) index.set(p.cadnum, p);
    }
    return index.get(cadnum);
  };
}
