/**
 * The domain model every adapter maps its partner's dialect into and every subgraph serves: what
 * the SDL cannot say. The closed sets (enums) are the schema's own, from the types generated from
 * it (domain/generated/api.ts); the objects are what adapters hand over, which differ from what
 * clients see where the schema resolves something: a partner id where clients get a Partner,
 * money in integer minor units where they get a Decimal, a partner's own tariff code where they
 * get a global id, whole histories where they get pages. Dates are ISO strings (YYYY-MM-DD), times
 * ISO date-times in UTC (never floats, never Date objects).
 */
import type { Money } from './money.js';
import type {
  AccountStatus, Freshness, HeatBillingBasis, OwnerKind, OwnershipForm, ParcelRightKind, QuantityUnit, TariffComponentKind,
  UtilityService, ZoneName, ZoneScheme,
} from './generated/api.js';

export type {
  AccountStatus, Freshness, HeatBillingBasis, OwnerKind, OwnershipForm, ParcelRightKind, QuantityUnit, TariffComponentKind,
  UtilityService, ZoneName, ZoneScheme,
};

export { DOMAINS, type Domain } from './domains.js';

/** Where a partner-sourced object came from and how fresh it is. */
export interface Provenance {
  partnerId: string;
  fetchedAt: string;
  freshness: Freshness;
}

export interface PartnerRef {
  id: string;
  name: string;
}

// ---------------------------------------------------------------- utilities

/** A unit price; a decimal string because tariffs carry fractions of a kopiyka (1.728 UAH). */
export interface Price {
  amount: string;
  currency: 'UAH';
  unit: QuantityUnit;
}

export interface TariffZone {
  name: ZoneName;
  /** Local time ranges, e.g. ["23:00-07:00"]. */
  hours: string[];
}

export interface TariffComponent {
  kind: TariffComponentKind;
  name: string;
  price: Price;
  zone: TariffZone | null;
}

export interface Tariff {
  id: string;
  partnerId: string;
  service: UtilityService;
  name: string;
  validFrom: string;
  validTo: string | null;
  components: TariffComponent[];
}

export interface MeterReading {
  meterNumber: string;
  takenOn: string;
  value: number;
  unit: QuantityUnit;
  zone: ZoneName | null;
  /** True when the partner estimated the reading from average daily use. */
  estimated: boolean;
}

export interface Bill {
  /** Billing period, YYYY-MM. */
  period: string;
  openingBalance: Money;
  accrued: Money;
  paid: Money;
  /** What is owed at the end of the period; negative is a credit. */
  toPay: Money;
  consumption: number | null;
  unit: QuantityUnit | null;
}

interface UtilityAccountBase {
  partnerId: string;
  accountNumber: string;
  address: string;
  status: AccountStatus;
  /** Positive: the citizen owes; negative: credit. */
  balance: Money;
  tariff: Tariff;
  /** Newest first. */
  readings: MeterReading[];
  /** Newest first. */
  bills: Bill[];
  source: Provenance;
}

export interface GasAccount extends UtilityAccountBase {
  service: 'GAS';
  eic: string;
  meterNumber: string;
  /** Previous gas year's consumption, the base of the monthly distribution charge. */
  annualConsumptionM3: number;
}

export interface HeatingAccount extends UtilityAccountBase {
  service: 'HEATING';
  billingBasis: HeatBillingBasis;
  heatedAreaM2: number;
}

export interface WaterAccount extends UtilityAccountBase {
  service: 'WATER';
  residents: number;
}

export interface ElectricityAccount extends UtilityAccountBase {
  service: 'ELECTRICITY';
  eic: string;
  zoneScheme: ZoneScheme;
}

/** The monthly building-maintenance charge of a housing-maintenance company, billed per m² of the flat. */
export interface HousingAccount extends UtilityAccountBase {
  service: 'HOUSING';
  /** The flat's total area, the base of every charge (each bill's consumption is this area, in M2). */
  areaM2: number;
  /** Whether the building has a lift, which the company bills as a component of its own. */
  hasLift: boolean;
}

export type UtilityAccount = GasAccount | HeatingAccount | WaterAccount | ElectricityAccount | HousingAccount;

// ---------------------------------------------------------------- registries

export interface CodeName {
  code: string;
  name: string;
}

export interface RegistryDocument {
  mediaType: string;
  fileName: string;
  sizeBytes: number;
  /** Hex SHA-256 of the decoded document, checked by the adapter. */
  sha256: string;
  base64: string;
}

export interface RegistryExtract {
  number: string;
  issuedAt: string;
  /** The registry that issued it, e.g. "Державний земельний кадастр". */
  registry: string;
  /** The registrar or service centre who issued it. */
  registrar: string;
  /** What it is about: a cadastral number or a VIN. */
  subject: string;
  /** The extract's text, as printed on the document. */
  content: string;
  document: RegistryDocument;
  source: Provenance;
}

export interface ParcelRight {
  kind: ParcelRightKind;
  holderName: string;
  /** Share as a fraction, e.g. "1/2". */
  share: string;
  basis: string;
  registeredOn: string;
}

export interface ParcelRestriction {
  code: string;
  name: string;
  registeredOn: string;
}

export interface LandParcel {
  partnerId: string;
  cadastralNumber: string;
  /** Hectares as a decimal string with four places, e.g. "0.1000". */
  areaHectares: string;
  koatuu: string;
  address: string;
  category: CodeName;
  purpose: CodeName;
  ownershipForm: OwnershipForm;
  normativeValuation: Money;
  valuationYear: number;
  restrictions: ParcelRestriction[];
  registeredOn: string;
  rights: ParcelRight[];
  source: Provenance;
}

export interface VehicleRegistration {
  operationCode: string;
  operationName: string;
  date: string;
  serviceCentre: CodeName;
  koatuu: string;
  ownerKind: OwnerKind;
}

export interface Vehicle {
  partnerId: string;
  vin: string;
  /** False for a European filler at position 9: a warning, never a rejection. */
  vinCheckDigitValid: boolean;
  /** Normalised Latin form, e.g. "AE1234KX". */
  plate: string;
  /** As the registry stores it, Cyrillic, e.g. "АЕ1234КХ". */
  plateCyrillic: string;
  brand: string;
  model: string;
  makeYear: number;
  color: string;
  kind: string;
  body: string;
  purpose: string;
  fuel: string;
  engineCapacityCm3: number | null;
  ownWeightKg: number;
  totalWeightKg: number;
  registration: VehicleRegistration;
  certificate: { series: string; number: string; firstRegisteredOn: string };
  source: Provenance;
}
