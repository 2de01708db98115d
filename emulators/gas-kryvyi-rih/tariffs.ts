import { formatMinorUnits } from '../../domain/money.js';

/**
 * The gas distributor's published household tariffs, as its REST API lists them. Prices are kept
 * here in kopiyky per m³ so bills are computed in integers; the API shows them as decimal strings.
 */

export interface GasTariffComponentDto {
  kind: 'supply' | 'distribution';
  name: string;
  pricePerUnit: string;
  unit: 'm3';
}

export interface GasTariffDto {
  id: string;
  service: 'gas';
  name: string;
  validFrom: string;
  validTo: string | null;
  components: GasTariffComponentDto[];
}

interface TariffRow {
  id: string;
  name: string;
  validFrom: string;
  validTo: string | null;
  supplyKop: number;
  distributionKop: number;
}

// Supply: the fixed household price (7.96 UAH/m³); distribution: the distributor's own tariff.
const ROWS: readonly TariffRow[] = [
  { id: 'KRG-HH-2025-05', name: 'Побутові споживачі (з 01.05.2025)', validFrom: '2025-05-01', validTo: null, supplyKop: 796, distributionKop: 126 },
  { id: 'KRG-HH-2024-01', name: 'Побутові споживачі (01.01.2024–30.04.2025)', validFrom: '2024-01-01', validTo: '2025-04-30', supplyKop: 796, distributionKop: 118 },
];

export const GAS_TARIFFS: readonly GasTariffDto[] = ROWS.map((row) => ({
  id: row.id,
  service: 'gas',
  name: row.name,
  validFrom: row.validFrom,
  validTo: row.validTo,
  components: [
    { kind: 'supply', name: 'Постачання природного газу', pricePerUnit: formatMinorUnits(row.supplyKop), unit: 'm3' },
    { kind: 'distribution', name: 'Розподіл природного газу', pricePerUnit: formatMinorUnits(row.distributionKop), unit: 'm3' },
  ],
}));

/** The tariff in force in a billing month (YYYY-MM); the oldest one before all history. */
export function gasTariffFor(period: string): TariffRow {
  const day = `${period}-01`;
  return ROWS.find((r) => r.validFrom <= day && (r.validTo === null || day <= r.validTo)) ?? ROWS[ROWS.length - 1];
}
