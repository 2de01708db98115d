import { STREETS, type Citizen, type Population, type Rng } from '../population/index.js';
import { heatTariffFor, unitPriceKop } from './tariffs.js';

/**
 * The heating company's records of one citizen, in numbers (kopiyky, thousandths of a Gcal or of
 * a m²); dialect.ts writes them out in the legacy SOAP form.
 */

export const HEAT_PARTNER_ID = 'heating-kryvyi-rih';

export interface HeatAddress {
  postcode: string;
  city: string;
  street: string;
  house: string;
  apartment: number | null;
}

export interface HeatBill {
  period: string;
  /** Gcal (meter basis) or m² (area basis), in thousandths. */
  quantityMilli: number;
  openingKop: number;
  accruedKop: number;
  paidKop: number;
  toPayKop: number;
}

export interface HeatReading {
  takenOn: string;
  gcalMilli: number;
  estimated: boolean;
}

export interface HeatAccountRecord {
  accountNumber: string;
  address: HeatAddress;
  status: 'ACTIVE' | 'DISCONNECTED';
  basis: 'METER' | 'AREA';
  areaCenti: number;
  tariffCode: string;
  balanceKop: number;
  meterNumber: string | null;
  /** Oldest first. */
  bills: HeatBill[];
  readings: HeatReading[];
}

type Profile = 'REGULAR' | 'DEBT' | 'CREDIT';

interface Plan {
  profile: Profile;
  disconnected: boolean;
  basis: 'METER' | 'AREA';
  address: HeatAddress;
  forceEstimate: boolean;
}

// Gcal per m² in each calendar month (January first): nothing outside the heating season.
const GCAL_PER_M2 = [0.026, 0.023, 0.017, 0.006, 0, 0, 0, 0, 0, 0.007, 0.016, 0.022];
// Share of a month billed by area: the season starts and ends mid-month.
const AREA_SHARE = [1, 1, 1, 0.5, 0, 0, 0, 0, 0, 0.5, 1, 1];

/** Ten digits: "40", the citizen's index, the account's sequence, a Luhn check digit. */
export function heatAccountNumber(index: number, seq: number): string {
  const body = `40${String(index).padStart(6, '0')}${seq}`;
  const sum = [...body].reverse().reduce((s, d, i) => {
    const v = Number(d) * (i % 2 === 0 ? 2 : 1);
    return s + (v > 9 ? v - 9 : v);
  }, 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function nextMonthFirst(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

function plansFor(citizen: Citizen, rng: Rng): Plan[] {
  const home: HeatAddress = { ...citizen.address };
  if (citizen.taxId === '3111901220') return [{ profile: 'DEBT', disconnected: false, basis: 'METER', address: home, forceEstimate: true }];
  if (citizen.taxId === '2660404572') {
    const flat = { ...home, street: 'вул. Лермонтова', house: '14', apartment: 9 };
    return [
      { profile: 'REGULAR', disconnected: false, basis: 'METER', address: home, forceEstimate: true },
      { profile: 'CREDIT', disconnected: false, basis: 'AREA', address: flat, forceEstimate: false },
    ];
  }
  const roll = rng.next();
  const profile: Profile = roll < 0.3 ? 'DEBT' : roll < 0.45 ? 'CREDIT' : 'REGULAR';
  const basis = rng.chance(0.75) ? 'METER' : 'AREA';
  const plans: Plan[] = [{ profile, disconnected: profile === 'DEBT' && rng.chance(0.11), basis, address: home, forceEstimate: false }];
  if (rng.chance(0.03)) {
    const second = { ...home, street: rng.pick(STREETS), house: String(rng.int(1, 120)), apartment: rng.int(1, 180) };
    plans.push({ profile: 'REGULAR', disconnected: false, basis: rng.chance(0.75) ? 'METER' : 'AREA', address: second, forceEstimate: false });
  }
  return plans;
}

function accountFor(population: Population, rng: Rng, plan: Plan, accountNumber: string): HeatAccountRecord {
  const periods = population.months(12).reverse(); // oldest first
  const areaCenti = plan.address.apartment === null ? rng.int(6000, 16000) : rng.int(3000, 9000);
  const offFrom = plan.disconnected ? periods.length - rng.int(1, 4) : periods.length;
  let balance = plan.profile === 'DEBT' ? rng.int(100_000, 900_000) : plan.profile === 'CREDIT' ? -rng.int(50_000, 300_000) : 0;
  let meter = rng.int(20_000, 300_000);
  const bills: HeatBill[] = [];
  const readings: HeatReading[] = [];

  periods.forEach((period, i) => {
    const month = Number(period.slice(5, 7)) - 1;
    const tariff = heatTariffFor(plan.basis, period);
    const off = i >= offFrom;
    const gcalMilli = off ? 0 : Math.round((areaCenti / 100) * GCAL_PER_M2[month] * 1000 * (0.85 + 0.3 * rng.next()));
    const quantityMilli = plan.basis === 'METER' ? gcalMilli : off ? 0 : Math.round(areaCenti * AREA_SHARE[month]) * 10;
    const accruedKop = Math.round((quantityMilli * unitPriceKop(tariff)) / 1000);
    const openingKop = balance;
    let paidKop = 0;
    if (plan.profile === 'REGULAR') paidKop = Math.max(openingKop, 0);
    if (plan.profile === 'DEBT' && !off && rng.chance(0.6)) paidKop = Math.floor((Math.max(openingKop, 0) * (0.2 + 0.5 * rng.next())) / 10_000) * 10_000;
    if (plan.profile === 'CREDIT' && openingKop + accruedKop > -10_000) paidKop = Math.ceil((openingKop + accruedKop + 50_000) / 10_000) * 10_000;
    balance = openingKop + accruedKop - paidKop;
    bills.push({ period, quantityMilli, openingKop, accruedKop, paidKop, toPayKop: balance });
    if (plan.basis === 'METER') {
      meter += gcalMilli;
      const estimated = (plan.forceEstimate && i === periods.length - 3) || (!off && rng.chance(0.1));
      readings.push({ takenOn: nextMonthFirst(period), gcalMilli: meter, estimated });
    }
  });

  return {
    accountNumber,
    address: plan.address,
    status: plan.disconnected ? 'DISCONNECTED' : 'ACTIVE',
    basis: plan.basis,
    areaCenti,
    tariffCode: heatTariffFor(plan.basis, periods[periods.length - 1]).code,
    balanceKop: balance,
    meterNumber: plan.basis === 'METER' ? rng.digits(8) : null,
    bills,
    readings,
  };
}

function customerShare(citizen: Citizen): number {
  // District heating serves blocks of flats; few private houses are connected (about 60% overall).
  return citizen.housing === 'APARTMENT' ? 0.8 : 0.13;
}

/** The citizen's heating accounts; null when the citizen is not the company's customer. */
export function heatAccountsOf(population: Population, citizen: Citizen): HeatAccountRecord[] | null {
  if (!population.isCustomer(HEAT_PARTNER_ID, citizen, customerShare(citizen))) return null;
  const rng = population.rngFor(HEAT_PARTNER_ID, citizen);
  return plansFor(citizen, rng).map((plan, seq) => accountFor(population, rng, plan, heatAccountNumber(citizen.index, seq + 1)));
}

export function heatAccountsByTaxId(population: Population, taxId: string): HeatAccountRecord[] {
  const citizen = population.byTaxId(taxId);
  return (citizen && heatAccountsOf(population, citizen)) || [];
}

/** One account by its number, or null when there is no such account. */
export function heatAccountByNumber(population: Population, accountNumber: string): HeatAccountRecord | null {
  if (!/^40\d{8}$/.test(accountNumber)) return null;
  const citizen = population.citizens[Number(accountNumber.slice(2, 8))];
  if (!citizen) return null;
  return heatAccountsOf(population, citizen)?.find((a) => a.accountNumber === accountNumber) ?? null;
}
