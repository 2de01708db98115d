/**
 * The domain model every adapter maps its partner's dialect into and every subgraph serves.
 * Field names follow the GraphQL schema in schema/; dates are ISO strings (YYYY-MM-DD), times are
 * ISO date-times in UTC, money is integer minor units or decimal strings (never floats).
 */
import type { Money } from './money.js';

export { DOMAINS, type Domain } from './domains.js';

export type Freshness = 'LIVE' | 'CACHED' | 'STALE';

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

export type UtilityService = 'GAS' | 'HEATING' | 'WATER' | 'ELECTRICITY' | 'HOUSING';
export type QuantityUnit = 'M3' | 'KWH' | 'GCAL' | 'M2' | 'MONTH';
export type TariffComponentKind =
  | 'GAS_SUPPLY'
  | 'GAS_DISTRIBUTION'
  | 'HEAT_ENERGY'
  | 'HEAT_TRANSPORT'
  | 'HEAT_SUPPLY_SERVICE'
  | 'HEATING_BY_AREA'
  | 'WATER_SUPPLY'
  | 'DRAINAGE'
  | 'ELECTRICITY'
  | 'HOUSE_MAINTENANCE'
  | 'LIFT_MAINTENANCE';
export type ZoneName = 'ALL_DAY' | 'DAY' | 'NIGHT' | 'PEAK' | 'HALF_PEAK';

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

export type AccountStatus = 'ACTIVE' | 'DISCONNECTED' | 'CLOSED';

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
  billingBasis: 'METER' | 'AREA';
  heatedAreaM2: number;
}

export interface WaterAccount extends UtilityAccountBase {
  service: 'WATER';
  residents: number;
}

export interface ElectricityAccount extends UtilityAccountBase {
  service: 'ELECTRICITY';
  eic: string;
  zoneScheme: 'SINGLE' | 'TWO_ZONE' | 'THREE_ZONE';
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
  kind: 'OWNERSHIP' | 'USE';
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
  ownershipForm: 'PRIVATE' | 'COMMUNAL' | 'STATE';
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
  ownerKind: 'PERSON' | 'LEGAL_ENTITY';
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
