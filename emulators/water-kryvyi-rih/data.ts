import { formatMinorUnits } from '../../domain/money.js';
import { STREETS, type Citizen, type Population, type Rng } from '../population/index.js';
import { chargeKop, waterTariffOn } from './tariffs.js';
import { buildBills, type Profile } from '../kit/bills.js';

/** The water utility's records of one citizen, in its REST v2 dialect (snake_case, "1234.56" UAH, ISO dates). */

export const WATER_PARTNER_ID = 'water-kryvyi-rih';
/** Share of the population that are the utility's customers. */
export const WATER_CUSTOMER_SHARE = 0.95;

export interface WaterAddressDto {
  postcode: string;
  city: string;
  street: string;
  building: string;
  flat: string | null;
}

export interface WaterChargeDto {
  service: 'water_supply' | 'drainage';
  volume_m3: number;
  amount: string;
}

export interface WaterBillDto {
  period_start: string;
  period_end: string;
  opening_balance: string;
  charges: WaterChargeDto[];
  paid: string;
  closing_balance: string;
}

export interface WaterReadingDto {
  meter_serial: string;
  read_on: string;
  value_m3: number;
  is_estimated: boolean;
}

export interface WaterAccountDto {
  account_number: string;
  owner_tax_id: string;
  status: 'active' | 'disconnected';
  service_address: WaterAddressDto;
  residents_count: number;
  tariff_id: string;
  balance: string;
  meter: { serial_number: string; kind: 'cold_water'; verified_until: string | null };
  /** Oldest first, as the billing system stores them. */
  bills: WaterBillDto[];
  /** Newest first. */
  meter_readings: WaterReadingDto[];
}

interface Plan {
  profile: Profile;
  disconnected: boolean;
  address: WaterAddressDto;
  forceEstimate: boolean;
}

// Demo citizens: three accounts (two pages) and two, covering debt, credit and a disconnection.
const DEMO_PLANS: Record<number, Array<Omit<Plan, 'address'> & { ownAddress: boolean }>> = {
  0: [
    { profile: 'DEBT', disconnected: false, forceEstimate: true, ownAddress: true },
    { profile: 'CREDIT', disconnected: false, forceEstimate: false, ownAddress: false },
    { profile: 'DEBT', disconnected: true, forceEstimate: false, ownAddress: false },
  ],
  1: [
    { profile: 'REGULAR', disconnected: false, forceEstimate: true, ownAddress: true },
    { profile: 'CREDIT', disconnected: false, forceEstimate: false, ownAddress: false },
  ],
};

function ownAddress(citizen: Citizen): WaterAddressDto {
  const a = citizen.address;
  return { postcode: a.postcode, city: a.city, street: a.street, building: a.house, flat: a.apartment ? String(a.apartment) : null };
}

function otherAddress(citizen: Citizen, rng: Rng): WaterAddressDto {
  const flat = rng.chance(0.6) ? String(rng.int(1, 150)) : null;
  return { postcode: `50${rng.digits(3)}`, city: citizen.address.city, street: rng.pick(STREETS), building: String(rng.int(1, 140)), flat };
}

function plansFor(citizen: Citizen, rng: Rng): Plan[] {
  const demo = DEMO_PLANS[citizen.index];
  if (demo) {
    return demo.map(({ ownAddress: own, ...plan }) => ({ ...plan, address: own ? ownAddress(citizen) : otherAddress(citizen, rng) }));
  }
  const roll = rng.next();
  const count = roll < 0.82 ? 1 : roll < 0.97 ? 2 : 3;
  return Array.from({ length: count }, (_, k) => {
    const disconnected = rng.chance(0.03);
    const p = rng.next();
    const profile: Profile = disconnected || p < 0.3 ? 'DEBT' : p < 0.45 ? 'CREDIT' : 'REGULAR';
    return { profile, disconnected, forceEstimate: false, address: k === 0 ? ownAddress(citizen) : otherAddress(citizen, rng) };
  });
}

/** 9-digit account numbers, unique across the population (7919 is prime, so no two collide). */
function accountNumber(citizen: Citizen, k: number): string {
  return String(100_000_000 + (((citizen.index * 3 + k) * 7919 + 314_159) % 900_000_000));
}

function nextMonthFirst(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

function lastDay(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function accountFor(population: Population, citizen: Citizen, rng: Rng, plan: Plan, k: number): WaterAccountDto {
  const periods = population.months(12).reverse();
  const residents = rng.int(1, 4);
  const perMonth = residents * rng.int(22, 40) / 10;
  const serial = `${rng.pick(['GR', 'SN', 'NK'])}-${rng.digits(8)}`;
  const verifiedUntil = plan.forceEstimate || rng.chance(0.8) ? `${rng.int(2027, 2030)}-${String(rng.int(1, 12)).padStart(2, '0')}-01` : null;
  // A disconnected account stopped using water some months ago and stopped paying.
  const cutMonths = plan.disconnected ? rng.int(2, 5) : 0;
  const volumes = periods.map((_, i) => (i >= periods.length - cutMonths ? 0 : Math.max(0, Math.round(perMonth * (0.7 + rng.next() * 0.6)))));
  const charges = periods.map((period, i) => {
    const tariff = waterTariffOn(`${period}-01`);
    return { supply: chargeKop(volumes[i], tariff.supplyMil), drainage: chargeKop(volumes[i], tariff.drainageMil) };
  });
  const bills = buildBills(rng, plan.profile, charges.map((c) => c.supply + c.drainage), cutMonths);

  let value = rng.int(40, 2500);
  const readings: WaterReadingDto[] = periods.map((period, i) => {
    value += volumes[i];
    const estimated = (plan.forceEstimate && i === periods.length - 3) || (!plan.disconnected && rng.chance(0.08));
    return { meter_serial: serial, read_on: nextMonthFirst(period), value_m3: value, is_estimated: estimated };
  });

  return {
    account_number: accountNumber(citizen, k),
    owner_tax_id: citizen.taxId,
    status: plan.disconnected ? 'disconnected' : 'active',
    service_address: plan.address,
    residents_count: residents,
    tariff_id: waterTariffOn(population.asOf).id,
    balance: formatMinorUnits(bills[bills.length - 1].toPay),
    meter: { serial_number: serial, kind: 'cold_water', verified_until: verifiedUntil },
    bills: periods.map((period, i) => ({
      period_start: `${period}-01`,
      period_end: lastDay(period),
      opening_balance: formatMinorUnits(bills[i].opening),
      charges: [
        { service: 'water_supply', volume_m3: volumes[i], amount: formatMinorUnits(charges[i].supply) },
        { service: 'drainage', volume_m3: volumes[i], amount: formatMinorUnits(charges[i].drainage) },
      ],
      paid: formatMinorUnits(bills[i].paid),
      closing_balance: formatMinorUnits(bills[i].toPay),
    })),
    meter_readings: readings.reverse(),
  };
}

/** A citizen's water accounts, or undefined when the utility does not know the tax id. */
export function waterAccountsFor(population: Population, taxId: string): WaterAccountDto[] | undefined {
  const citizen = population.byTaxId(taxId);
  if (!citizen || !population.isCustomer(WATER_PARTNER_ID, citizen, WATER_CUSTOMER_SHARE)) return undefined;
  const rng = population.rngFor(WATER_PARTNER_ID, citizen);
  return plansFor(citizen, rng).map((plan, k) => accountFor(population, citizen, rng, plan, k));
}
