import { eicCheckChar } from '../../domain/identifiers.js';
import { CITY, STREETS, type Citizen, type Population, type Rng } from '../population/index.js';
import { buildBills, type Profile } from '../kit/bills.js';
import { chargeKop, electricityTariffOn, type ZoneCode, type ZoneCount } from './tariffs.js';

/** The electricity supplier's records of one citizen, in its dialect (camelCase, kopiyky, ISO dates). */

export const ELECTRICITY_PARTNER_ID = 'electricity-kryvyi-rih';
/** Share of the population that are the supplier's customers. */
export const ELECTRICITY_CUSTOMER_SHARE = 0.97;

export interface InvoiceDto {
  /** The first day of the billed month. */
  billingMonth: string;
  openingBalanceKop: number;
  chargedKop: number;
  paidKop: number;
  closingBalanceKop: number;
  consumptionKwh: number;
}

export interface ReadingDto {
  readingDate: string;
  zone: ZoneCode;
  valueKwh: number;
  /** AMR: read remotely; CUSTOMER: reported by the customer; ESTIMATED: from average daily use. */
  origin: 'AMR' | 'CUSTOMER' | 'ESTIMATED';
}

export interface MeteringPointDto {
  eic: string;
  personalAccount: string;
  supplyAddress: string;
  state: 'CONNECTED' | 'DISCONNECTED';
  zoneCount: ZoneCount;
  tariffCode: string;
  meter: { serialNumber: string; model: string };
  balanceKop: number;
  /** Newest first. */
  invoices: InvoiceDto[];
  /** Newest first, one per zone and date. */
  readings: ReadingDto[];
}

interface Plan {
  zoneCount: ZoneCount;
  profile: Profile;
  disconnected: boolean;
  own: boolean;
  forceEstimate: boolean;
}

// Demo citizens cover every zone scheme, debt, credit, a disconnection and an estimated reading.
const DEMO_PLANS: Record<number, Plan[]> = {
  0: [
    { zoneCount: 2, profile: 'DEBT', disconnected: false, own: true, forceEstimate: true },
    { zoneCount: 1, profile: 'DEBT', disconnected: true, own: false, forceEstimate: false },
  ],
  1: [{ zoneCount: 3, profile: 'CREDIT', disconnected: false, own: true, forceEstimate: true }],
};

// Share of each zone in a month's use, by scheme.
const SPLIT: Record<ZoneCount, Array<[ZoneCode, number]>> = {
  1: [['all-day', 1]],
  2: [['day', 0.62], ['night', 0.38]],
  3: [['peak', 0.22], ['half-peak', 0.43], ['night', 0.35]],
};
// Use by calendar month (January first): more light and heaters in winter.
const SEASON = [1.25, 1.2, 1.05, 0.9, 0.85, 0.9, 1, 1, 0.85, 0.95, 1.1, 1.25];
const MODELS: Record<ZoneCount, string[]> = { 1: ['NIK 2102', 'GAMA 100'], 2: ['NIK 2303 ARP3', 'GAMA 300'], 3: ['NIK 2303 ARP3', 'Landis+Gyr E350'] };

function plansFor(citizen: Citizen, rng: Rng): Plan[] {
  const demo = DEMO_PLANS[citizen.index];
  if (demo) return demo;
  const count = rng.chance(0.1) ? 2 : 1;
  return Array.from({ length: count }, (_, k) => {
    const roll = rng.next();
    const disconnected = rng.chance(0.03);
    const p = rng.next();
    return {
      zoneCount: roll < 0.7 ? 1 : roll < 0.95 ? 2 : 3,
      profile: disconnected || p < 0.3 ? 'DEBT' : p < 0.45 ? 'CREDIT' : 'REGULAR',
      disconnected,
      own: k === 0,
      forceEstimate: false,
    };
  });
}

/** A household metering point's EIC (`62Z` + 12 characters + check); never one whose check is `-`. */
function meteringPointEic(rng: Rng): string {
  for (;;) {
    const body = `62Z${rng.digits(12)}`;
    const check = eicCheckChar(body);
    if (check !== '-') return `${body}${check}`;
  }
}

function supplyAddress(citizen: Citizen, rng: Rng, own: boolean): string {
  const a = own ? citizen.address : { postcode: `50${rng.digits(3)}`, street: rng.pick(STREETS), house: String(rng.int(1, 140)), apartment: null };
  return `${CITY.oblast.replace('область', 'обл.')}, м. ${CITY.name}, ${a.street}, ${a.house}${a.apartment ? `, кв. ${a.apartment}` : ''}, ${a.postcode}`;
}

function nextMonthFirst(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

function pointFor(population: Population, citizen: Citizen, rng: Rng, plan: Plan, k: number): MeteringPointDto {
  const periods = population.months(12).reverse();
  const base = rng.int(110, 320);
  const cut = plan.disconnected ? rng.int(2, 5) : 0;
  // kWh by zone for each month, oldest first.
  const use = periods.map((period, i) => {
    const total = i >= periods.length - cut ? 0 : Math.round(base * SEASON[Number(period.slice(5)) - 1] * (0.85 + rng.next() * 0.3));
    return SPLIT[plan.zoneCount].map(([zone, share]) => ({ zone, kwh: Math.round(total * share) }));
  });
  const charged = periods.map((period, i) => {
    const { rates } = electricityTariffOn(plan.zoneCount, `${period}-01`);
    return use[i].reduce((sum, u) => sum + chargeKop(u.kwh, rates.find((r) => r.zone === u.zone)!.mil), 0);
  });
  const bills = buildBills(rng, plan.profile, charged, cut);

  const counters = new Map(SPLIT[plan.zoneCount].map(([zone]) => [zone, rng.int(1_000, 40_000)]));
  const readings = periods.flatMap((period, i) => {
    const origin = (plan.forceEstimate && i === periods.length - 2) || (!plan.disconnected && rng.chance(0.07)) ? 'ESTIMATED'
      : plan.zoneCount > 1 ? 'AMR' : 'CUSTOMER';
    return use[i].map(({ zone, kwh }) => {
      counters.set(zone, counters.get(zone)! + kwh);
      return { readingDate: nextMonthFirst(period), zone, valueKwh: counters.get(zone)!, origin } satisfies ReadingDto;
    });
  });

  return {
    eic: meteringPointEic(rng),
    personalAccount: String(2_000_000_000 + (((citizen.index * 2 + k) * 104_729 + 271_828) % 8_000_000_000)),
    supplyAddress: supplyAddress(citizen, rng, plan.own),
    state: plan.disconnected ? 'DISCONNECTED' : 'CONNECTED',
    zoneCount: plan.zoneCount,
    tariffCode: electricityTariffOn(plan.zoneCount, population.asOf).code,
    meter: { serialNumber: rng.digits(12), model: rng.pick(MODELS[plan.zoneCount]) },
    balanceKop: bills[bills.length - 1].toPay,
    invoices: periods.map((period, i) => ({
      billingMonth: `${period}-01`,
      openingBalanceKop: bills[i].opening,
      chargedKop: bills[i].accrued,
      paidKop: bills[i].paid,
      closingBalanceKop: bills[i].toPay,
      consumptionKwh: use[i].reduce((sum, u) => sum + u.kwh, 0),
    })).reverse(),
    // Newest date first; within a date the meter's register order.
    readings: periods.map((_, i) => readings.slice(i * use[i].length, (i + 1) * use[i].length)).reverse().flat(),
  };
}

/** A citizen's metering points, or undefined when the supplier does not know the tax id. */
export function meteringPointsFor(population: Population, taxId: string): MeteringPointDto[] | undefined {
  const citizen = population.byTaxId(taxId);
  if (!citizen || !population.isCustomer(ELECTRICITY_PARTNER_ID, citizen, ELECTRICITY_CUSTOMER_SHARE)) return undefined;
  const rng = population.rngFor(ELECTRICITY_PARTNER_ID, citizen);
  return plansFor(citizen, rng).map((plan, k) => pointFor(population, citizen, rng, plan, k));
}
