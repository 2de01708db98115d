import { eicCheckChar } from '../../domain/identifiers.js';
import { STREETS, type Citizen, type Population, type Rng } from '../population/index.js';
import { gasTariffFor } from './tariffs.js';

/** The gas distributor's records of one citizen, in its REST dialect (kopiyky, ISO dates, camelCase). */

export const GAS_PARTNER_ID = 'gas-kryvyi-rih';
/** Share of the population that are the distributor's customers. */
export const GAS_CUSTOMER_SHARE = 0.85;

export interface GasAddressDto {
  postcode: string;
  city: string;
  street: string;
  house: string;
  apartment: number | null;
}

export interface GasBillDto {
  period: string;
  tariffId: string;
  consumptionM3: number;
  openingBalanceKop: number;
  supplyKop: number;
  distributionKop: number;
  accruedKop: number;
  paidKop: number;
  toPayKop: number;
}

export interface GasReadingDto {
  takenOn: string;
  valueM3: number;
  estimated: boolean;
}

export interface GasAccountDto {
  accountNumber: string;
  eic: string;
  meterNumber: string;
  meterType: string;
  address: GasAddressDto;
  status: 'active' | 'disconnected' | 'closed';
  tariffId: string;
  annualConsumptionM3: number;
  balanceKop: number;
  /** Oldest first, as the billing system stores them. */
  bills: GasBillDto[];
  readings: GasReadingDto[];
}

type Profile = 'REGULAR' | 'DEBT' | 'CREDIT';

interface Plan {
  profile: Profile;
  disconnected: boolean;
  address: GasAddressDto;
  heatsWithGas: boolean;
  forceEstimate: boolean;
}

// Share of the annual volume used in each calendar month (January first).
const HEATING_USE = [0.17, 0.15, 0.12, 0.07, 0.03, 0.02, 0.02, 0.02, 0.03, 0.07, 0.12, 0.18];
const COOKING_USE = [0.1, 0.095, 0.09, 0.085, 0.075, 0.07, 0.065, 0.065, 0.07, 0.085, 0.095, 0.105];

/** An EIC of a gas metering point (`56Z` + 12 characters + check); never one whose check is `-`. */
function gasEic(rng: Rng): string {
  for (;;) {
    const body = `56ZKR${rng.digits(10)}`;
    const check = eicCheckChar(body);
    if (check !== '-') return `${body}${check}`;
  }
}

function nextMonthFirst(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

function plansFor(citizen: Citizen, rng: Rng): Plan[] {
  const home = { postcode: citizen.address.postcode, city: citizen.address.city, street: citizen.address.street, house: citizen.address.house, apartment: citizen.address.apartment };
  const heatsWithGas = citizen.housing === 'HOUSE';
  if (citizen.taxId === '3111901220') return [{ profile: 'DEBT', disconnected: false, address: home, heatsWithGas, forceEstimate: true }];
  if (citizen.taxId === '2660404572') {
    const flat = { ...home, street: 'вул. Лермонтова', house: '14', apartment: 9 };
    return [
      { profile: 'CREDIT', disconnected: false, address: home, heatsWithGas, forceEstimate: true },
      { profile: 'DEBT', disconnected: true, address: flat, heatsWithGas: false, forceEstimate: true },
    ];
  }
  const roll = rng.next();
  const profile: Profile = roll < 0.3 ? 'DEBT' : roll < 0.45 ? 'CREDIT' : 'REGULAR';
  const plans: Plan[] = [{ profile, disconnected: profile === 'DEBT' && rng.chance(0.11), address: home, heatsWithGas, forceEstimate: false }];
  if (rng.chance(0.05)) {
    const second = { ...home, street: rng.pick(STREETS), house: String(rng.int(1, 120)), apartment: rng.int(1, 180) };
    plans.push({ profile: 'REGULAR', disconnected: false, address: second, heatsWithGas: false, forceEstimate: false });
  }
  return plans;
}

function accountFor(population: Population, rng: Rng, plan: Plan): GasAccountDto {
  const periods = population.months(12).reverse(); // oldest first
  const annual = plan.heatsWithGas ? rng.int(1500, 3500) : rng.int(250, 700);
  const use = plan.heatsWithGas ? HEATING_USE : COOKING_USE;
  const offFrom = plan.disconnected ? periods.length - rng.int(1, 4) : periods.length;
  let balance = plan.profile === 'DEBT' ? rng.int(50_000, 400_000) : plan.profile === 'CREDIT' ? -rng.int(50_000, 300_000) : 0;
  let meter = rng.int(1_000, 40_000);
  const bills: GasBillDto[] = [];
  const readings: GasReadingDto[] = [];

  periods.forEach((period, i) => {
    const tariff = gasTariffFor(period);
    const month = Number(period.slice(5, 7)) - 1;
    const consumptionM3 = i >= offFrom ? 0 : Math.round(annual * use[month] * (0.85 + 0.3 * rng.next()));
    const supplyKop = consumptionM3 * tariff.supplyKop;
    // Distribution is billed on the annual volume whatever the month's use, even when disconnected.
    const distributionKop = Math.round((annual * tariff.distributionKop) / 12);
    const accruedKop = supplyKop + distributionKop;
    const openingBalanceKop = balance;
    let paidKop = 0;
    if (plan.profile === 'REGULAR') paidKop = Math.max(openingBalanceKop, 0);
    if (plan.profile === 'DEBT' && !plan.disconnected && rng.chance(0.6)) paidKop = Math.floor((Math.max(openingBalanceKop, 0) * (0.3 + 0.5 * rng.next())) / 10_000) * 10_000;
    if (plan.profile === 'CREDIT' && openingBalanceKop + accruedKop > -10_000) paidKop = Math.ceil((openingBalanceKop + accruedKop + 50_000) / 10_000) * 10_000;
    const toPayKop = openingBalanceKop + accruedKop - paidKop;
    balance = toPayKop;
    bills.push({ period, tariffId: tariff.id, consumptionM3, openingBalanceKop, supplyKop, distributionKop, accruedKop, paidKop, toPayKop });
    meter += consumptionM3;
    const estimated = (plan.forceEstimate && i === periods.length - 3) || (i < offFrom && rng.chance(0.1));
    readings.push({ takenOn: nextMonthFirst(period), valueM3: meter, estimated });
  });

  const meterType = plan.heatsWithGas ? rng.pick(['G4', 'G6']) : rng.pick(['G1.6', 'G2.5']);
  return {
    accountNumber: `12${rng.digits(8)}`,
    eic: gasEic(rng),
    meterNumber: rng.digits(8),
    meterType,
    address: plan.address,
    status: plan.disconnected ? 'disconnected' : 'active',
    tariffId: gasTariffFor(periods[periods.length - 1]).id,
    annualConsumptionM3: annual,
    balanceKop: balance,
    bills,
    readings,
  };
}

/** The citizen's gas accounts; null when the citizen is not the distributor's customer. */
export function gasAccountsFor(population: Population, taxId: string): GasAccountDto[] | null {
  const citizen = population.byTaxId(taxId);
  if (!citizen || !population.isCustomer(GAS_PARTNER_ID, citizen, GAS_CUSTOMER_SHARE)) return null;
  const rng = population.rngFor(GAS_PARTNER_ID, citizen);
  return plansFor(citizen, rng).map((plan) => accountFor(population, rng, plan));
}
