import { eicCheckChar } from '../../domain/identifiers.js';
import type { Citizen, Population, Rng } from '../population/index.js';
import { buildBills, type Profile } from '../kit/bills.js';
import { gasVinnytsiaTariffOn } from './tariffs.js';
import { villageAddress } from './villages.js';

/**
 * The Vinnytsia gas distributor's records of one citizen, in plain units (kopiyky, litres, ISO
 * dates); export.ts prints them in the 1C dialect.
 */

export const GAS_VINNYTSIA_PARTNER_ID = 'gas-vinnytsia';
/** Share of the (Kryvyi Rih) population with a house or dacha connected to this distributor's network. */
export const GAS_VINNYTSIA_CUSTOMER_SHARE = 0.04;

export type AbonentStatus = 'діючий' | 'відключений' | 'закритий';

export interface AbonentBill {
  /** YYYY-MM. */
  period: string;
  consumptionLitres: number;
  openingKop: number;
  accruedKop: number;
  paidKop: number;
  toPayKop: number;
}

export interface AbonentReading {
  takenOn: string;
  valueLitres: number;
  estimated: boolean;
}

export interface Abonent {
  taxId: string;
  fullName: string;
  accountNumber: string;
  eic: string;
  meterNumber: string;
  address: string;
  status: AbonentStatus;
  tariffCode: string;
  annualM3: number;
  balanceKop: number;
  /** Oldest first, as the billing system stores them. */
  bills: AbonentBill[];
  readings: AbonentReading[];
}

interface Plan {
  profile: Profile;
  disconnected: boolean;
  heatsWithGas: boolean;
  forceEstimate: boolean;
}

// Share of the annual volume used in each calendar month (January first).
const HEATING_USE = [0.17, 0.15, 0.12, 0.07, 0.03, 0.02, 0.02, 0.02, 0.03, 0.07, 0.12, 0.18];
// A dacha is lived in from spring to autumn: cooking and hot water, a little heating at the edges.
const DACHA_USE = [0.04, 0.04, 0.06, 0.08, 0.11, 0.13, 0.14, 0.14, 0.11, 0.07, 0.04, 0.04];

// Demo citizens: a debt with an estimated reading; a credit on a gas-heated house and a
// disconnected, indebted second connection.
const DEMO_PLANS: Record<number, Plan[]> = {
  0: [{ profile: 'DEBT', disconnected: false, heatsWithGas: false, forceEstimate: true }],
  1: [
    { profile: 'CREDIT', disconnected: false, heatsWithGas: true, forceEstimate: true },
    { profile: 'DEBT', disconnected: true, heatsWithGas: false, forceEstimate: true },
  ],
};

function plansFor(citizen: Citizen, rng: Rng): Plan[] {
  const demo = DEMO_PLANS[citizen.index];
  if (demo) return demo;
  const count = rng.chance(0.08) ? 2 : 1;
  return Array.from({ length: count }, () => {
    const disconnected = rng.chance(0.03);
    const roll = rng.next();
    const profile: Profile = disconnected || roll < 0.3 ? 'DEBT' : roll < 0.45 ? 'CREDIT' : 'REGULAR';
    return { profile, disconnected, heatsWithGas: rng.chance(0.6), forceEstimate: false };
  });
}

/** A gas metering point's EIC (`56ZVN` + 10 digits + check); never one whose check is `-`. */
function gasEic(rng: Rng): string {
  for (;;) {
    const body = `56ZVN${rng.digits(10)}`;
    const check = eicCheckChar(body);
    if (check !== '-') return `${body}${check}`;
  }
}

/** `05` + eight digits, distinct per citizen and account (7919 is prime to 10⁸). */
function accountNumber(citizen: Citizen, k: number): string {
  return `05${String(((citizen.index * 3 + k) * 7919 + 12_345) % 100_000_000).padStart(8, '0')}`;
}

function nextMonthFirst(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

function abonentFor(population: Population, citizen: Citizen, rng: Rng, plan: Plan, k: number): Abonent {
  const periods = population.months(12).reverse(); // oldest first
  const annualM3 = plan.heatsWithGas ? rng.int(1200, 2800) : rng.int(150, 600);
  const use = plan.heatsWithGas ? HEATING_USE : DACHA_USE;
  const cut = plan.disconnected ? rng.int(2, 4) : 0;
  const litres = periods.map((period, i) =>
    (i >= periods.length - cut ? 0 : Math.round(annualM3 * 1000 * use[Number(period.slice(5)) - 1] * (0.85 + 0.3 * rng.next()))));
  // Supply on the month's use; distribution on the annual volume ÷ 12, even while disconnected.
  const accrued = periods.map((period, i) => {
    const tariff = gasVinnytsiaTariffOn(period);
    return Math.round((litres[i] * tariff.supplyKop) / 1000) + Math.round((annualM3 * tariff.distributionKop) / 12);
  });
  const amounts = buildBills(rng, plan.profile, accrued, cut);

  let meter = rng.int(1_000, 40_000) * 1000 + rng.int(0, 999);
  const readings = periods.map((period, i) => {
    meter += litres[i];
    // A demo account's estimate falls on a month the meter was still in use (never after a disconnection).
    const estimated = (plan.forceEstimate && i === periods.length - 1 - Math.max(cut, 1)) || (i < periods.length - cut && rng.chance(0.08));
    return { takenOn: nextMonthFirst(period), valueLitres: meter, estimated };
  });

  return {
    taxId: citizen.taxId,
    fullName: `${citizen.lastName} ${citizen.firstName} ${citizen.patronymic}`,
    accountNumber: accountNumber(citizen, k),
    eic: gasEic(rng),
    meterNumber: rng.digits(8),
    address: villageAddress(rng),
    status: plan.disconnected ? 'відключений' : 'діючий',
    tariffCode: gasVinnytsiaTariffOn(population.asOf).code,
    annualM3,
    balanceKop: amounts[amounts.length - 1].toPay,
    bills: periods.map((period, i) => ({
      period,
      consumptionLitres: litres[i],
      openingKop: amounts[i].opening,
      accruedKop: amounts[i].accrued,
      paidKop: amounts[i].paid,
      toPayKop: amounts[i].toPay,
    })),
    readings,
  };
}

/** The citizen's accounts; [] when the tax id is not the distributor's customer (the export then has no rows for it). */
export function abonentsFor(population: Population, taxId: string): Abonent[] {
  const citizen = population.byTaxId(taxId);
  if (!citizen || !population.isCustomer(GAS_VINNYTSIA_PARTNER_ID, citizen, GAS_VINNYTSIA_CUSTOMER_SHARE)) return [];
  const rng = population.rngFor(GAS_VINNYTSIA_PARTNER_ID, citizen);
  return plansFor(citizen, rng).map((plan, k) => abonentFor(population, citizen, rng, plan, k));
}
