import { createHash } from 'node:crypto';
import { STREETS, type Citizen, type Population, type Rng } from '../population/index.js';
import { buildBills, type Profile } from '../kit/bills.js';
import { housingTariffFor, monthlyChargeKop, type BuildingCategory } from './tariffs.js';

/**
 * The housing-maintenance company's records of one citizen, in numbers (kopiyky, hundredths of a
 * m²); dialect.ts writes them out in the company's XML export. It manages blocks of flats only:
 * an account is a flat, billed monthly per m² of its total area.
 */

export const HOUSING_PARTNER_ID = 'housing-kryvyi-rih';

export interface HousingAddress {
  postcode: string;
  city: string;
  street: string;
  house: string;
  apartment: number;
}

export interface HousingBill {
  period: string;
  areaCenti: number;
  openingKop: number;
  accruedKop: number;
  paidKop: number;
  toPayKop: number;
}

export interface HousingAccountRecord {
  accountNumber: string;
  address: HousingAddress;
  /** The company's building code. */
  buildingCode: string;
  category: BuildingCategory;
  hasLift: boolean;
  areaCenti: number;
  tariffCode: string;
  balanceKop: number;
  /** Oldest first. */
  bills: HousingBill[];
}

interface Plan {
  profile: Profile;
  address: HousingAddress;
  /** Fixed for the demo citizens, drawn for everyone else. */
  areaCenti?: number;
  category?: BuildingCategory;
}

/**
 * The demo citizens: Olena's own flat in a nine-storey block with a lift, in arrears; Andrii lives
 * in a private house (no manager) but owns the flat the heating company bills too, in credit.
 */
function demoPlans(citizen: Citizen): Plan[] | undefined {
  const a = citizen.address;
  if (citizen.taxId === '3111901220') {
    return [{ profile: 'DEBT', address: { ...a, apartment: a.apartment ?? 41 }, areaCenti: 5230, category: 3 }];
  }
  if (citizen.taxId === '2660404572') {
    return [{ profile: 'CREDIT', address: { ...a, street: 'вул. Лермонтова', house: '14', apartment: 9 }, areaCenti: 6410, category: 2 }];
  }
  return undefined;
}

/** A building's category follows from its address, so neighbours share it. */
function categoryOf(street: string, house: string): BuildingCategory {
  const n = createHash('sha256').update(`${street}|${house}`).digest().readUInt8(0);
  return n < 64 ? 1 : n < 150 ? 2 : 3;
}

function buildingCode(street: string, house: string): string {
  return String(createHash('sha256').update(`${street}|${house}`).digest().readUInt16LE(1) % 9000 + 1000);
}

function plansFor(citizen: Citizen, rng: Rng): Plan[] {
  const demo = demoPlans(citizen);
  if (demo) return demo;
  const roll = rng.next();
  const profile: Profile = roll < 0.25 ? 'DEBT' : roll < 0.4 ? 'CREDIT' : 'REGULAR';
  const elsewhere = (): HousingAddress => ({ ...citizen.address, street: rng.pick(STREETS), house: String(rng.int(1, 120)), apartment: rng.int(1, 180) });
  // Someone in a private house is a customer only as the owner of a flat somewhere else.
  const home = citizen.address.apartment === null ? elsewhere() : { ...citizen.address, apartment: citizen.address.apartment };
  const plans: Plan[] = [{ profile, address: home }];
  if (rng.chance(0.03)) plans.push({ profile: 'REGULAR', address: elsewhere() });
  return plans;
}

/** Nine digits: "12" (the company's number), the citizen's index, the account's sequence. */
export function housingAccountNumber(index: number, seq: number): string {
  return `12${String(index).padStart(6, '0')}${seq}`;
}

function accountFor(population: Population, rng: Rng, plan: Plan, accountNumber: string): HousingAccountRecord {
  const periods = population.months(12).reverse(); // oldest first
  const category = plan.category ?? categoryOf(plan.address.street, plan.address.house);
  const areaCenti = plan.areaCenti ?? rng.int(2800, 9500);
  const accrued = periods.map((period) => monthlyChargeKop(areaCenti, housingTariffFor(category, period)));
  const amounts = buildBills(rng, plan.profile, accrued);
  const bills = periods.map((period, i) => ({
    period, areaCenti, openingKop: amounts[i].opening, accruedKop: amounts[i].accrued, paidKop: amounts[i].paid, toPayKop: amounts[i].toPay,
  }));
  return {
    accountNumber,
    address: plan.address,
    buildingCode: buildingCode(plan.address.street, plan.address.house),
    category,
    hasLift: category === 3,
    areaCenti,
    tariffCode: housingTariffFor(category, periods[periods.length - 1]).code,
    balanceKop: bills[bills.length - 1].toPayKop,
    bills,
  };
}

function customerShare(citizen: Citizen): number {
  // Most blocks of flats are the company's (the rest have their own association, ОСББ); few house owners own a flat too.
  return citizen.housing === 'APARTMENT' ? 0.75 : 0.05;
}

/** The citizen's accounts; null when the citizen is not the company's customer. */
export function housingAccountsOf(population: Population, citizen: Citizen): HousingAccountRecord[] | null {
  if (!population.isCustomer(HOUSING_PARTNER_ID, citizen, customerShare(citizen))) return null;
  const rng = population.rngFor(HOUSING_PARTNER_ID, citizen);
  return plansFor(citizen, rng).map((plan, seq) => accountFor(population, rng, plan, housingAccountNumber(citizen.index, seq + 1)));
}

/** null when the company does not know the tax id. */
export function housingAccountsByTaxId(population: Population, taxId: string): HousingAccountRecord[] | null {
  const citizen = population.byTaxId(taxId);
  return citizen ? housingAccountsOf(population, citizen) : null;
}
