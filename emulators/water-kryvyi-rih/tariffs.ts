/**
 * The water utility's published household tariffs, as its REST API (v2) lists them. Prices are
 * kept here in thousandths of a hryvnia per m³ so bills are computed in integers; the API shows
 * them as decimal strings with a point ("14.796").
 */

export interface WaterTariffComponentDto {
  service: 'water_supply' | 'drainage';
  title: string;
  price_per_m3: string;
}

export interface WaterTariffDto {
  tariff_id: string;
  title: string;
  valid_from: string;
  valid_to: string | null;
  components: WaterTariffComponentDto[];
}

export interface WaterTariffRow {
  id: string;
  title: string;
  validFrom: string;
  validTo: string | null;
  /** Thousandths of a hryvnia per m³. */
  supplyMil: number;
  drainageMil: number;
}

const ROWS: readonly WaterTariffRow[] = [
  { id: 'KRV-VK-2025-07', title: 'Населення (з 01.07.2025)', validFrom: '2025-07-01', validTo: null, supplyMil: 14_796, drainageMil: 10_824 },
  { id: 'KRV-VK-2024-07', title: 'Населення (01.07.2024–30.06.2025)', validFrom: '2024-07-01', validTo: '2025-06-30', supplyMil: 12_912, drainageMil: 9_348 },
];

/** "14.796" from 14796 thousandths. */
function milToText(mil: number): string {
  return `${Math.trunc(mil / 1000)}.${String(mil % 1000).padStart(3, '0')}`;
}

export const WATER_TARIFFS: readonly WaterTariffDto[] = ROWS.map((row) => ({
  tariff_id: row.id,
  title: row.title,
  valid_from: row.validFrom,
  valid_to: row.validTo,
  components: [
    { service: 'water_supply', title: 'Централізоване водопостачання', price_per_m3: milToText(row.supplyMil) },
    { service: 'drainage', title: 'Централізоване водовідведення', price_per_m3: milToText(row.drainageMil) },
  ],
}));

/** The tariff in force on a day (YYYY-MM-DD); the oldest one before all history. */
export function waterTariffOn(day: string): WaterTariffRow {
  return ROWS.find((r) => r.validFrom <= day && (r.validTo === null || day <= r.validTo)) ?? ROWS[ROWS.length - 1];
}

/** Kopiyky for a volume at a price in thousandths, rounded half up (integers only). */
export function chargeKop(volumeM3: number, priceMil: number): number {
  return Math.round((volumeM3 * priceMil) / 10);
}
