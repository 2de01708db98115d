/**
 * The electricity supplier's household tariffs, as its API lists them: one per zone scheme, prices
 * in kopiyky per kWh as decimal strings ("172.8"). Kept here in thousandths of a hryvnia so bills
 * are computed in integers.
 */

export type ZoneCode = 'all-day' | 'day' | 'night' | 'peak' | 'half-peak';
export type ZoneCount = 1 | 2 | 3;

export interface ElectricityRateDto {
  zone: ZoneCode;
  label: string;
  hours: string[];
  priceKopPerKwh: string;
}

export interface ElectricityTariffDto {
  code: string;
  title: string;
  zoneCount: ZoneCount;
  effectiveFrom: string;
  effectiveTo: string | null;
  rates: ElectricityRateDto[];
}

interface Rate {
  zone: ZoneCode;
  label: string;
  hours: string[];
  /** Thousandths of a hryvnia per kWh. */
  mil: number;
}

export interface ElectricityTariffRow {
  code: string;
  title: string;
  zoneCount: ZoneCount;
  from: string;
  to: string | null;
  rates: Rate[];
}

const ALL_DAY: Rate = { zone: 'all-day', label: 'Цілодобово', hours: ['00:00-24:00'], mil: 4320 };

const ROWS: readonly ElectricityTariffRow[] = [
  { code: 'KREK-1Z-2024-06', title: 'Населення, однозонний облік', zoneCount: 1, from: '2024-06-01', to: null, rates: [ALL_DAY] },
  {
    code: 'KREK-2Z-2024-06', title: 'Населення, двозонний облік', zoneCount: 2, from: '2024-06-01', to: null,
    rates: [
      { zone: 'day', label: 'Денна зона', hours: ['07:00-23:00'], mil: 4320 },
      { zone: 'night', label: 'Нічна зона', hours: ['23:00-07:00'], mil: 2160 },
    ],
  },
  {
    code: 'KREK-3Z-2024-06', title: 'Населення, тризонний облік', zoneCount: 3, from: '2024-06-01', to: null,
    rates: [
      { zone: 'peak', label: 'Пікова зона', hours: ['08:00-11:00', '20:00-22:00'], mil: 6480 },
      { zone: 'half-peak', label: 'Напівпікова зона', hours: ['07:00-08:00', '11:00-20:00', '22:00-23:00'], mil: 4320 },
      { zone: 'night', label: 'Нічна зона', hours: ['23:00-07:00'], mil: 1728 },
    ],
  },
  { code: 'KREK-1Z-2023-06', title: 'Населення, однозонний облік (до 31.05.2024)', zoneCount: 1, from: '2023-06-01', to: '2024-05-31', rates: [{ ...ALL_DAY, mil: 2640 }] },
];

/** "172.8" kopiyky from 1728 thousandths of a hryvnia. */
function milToKopText(mil: number): string {
  return mil % 10 === 0 ? String(mil / 10) : `${Math.trunc(mil / 10)}.${mil % 10}`;
}

export const ELECTRICITY_TARIFFS: readonly ElectricityTariffDto[] = ROWS.map((row) => ({
  code: row.code,
  title: row.title,
  zoneCount: row.zoneCount,
  effectiveFrom: row.from,
  effectiveTo: row.to,
  rates: row.rates.map((r) => ({ zone: r.zone, label: r.label, hours: r.hours, priceKopPerKwh: milToKopText(r.mil) })),
}));

/** The tariff of a zone scheme in force on a day (YYYY-MM-DD); the scheme's oldest one before all history. */
export function electricityTariffOn(zoneCount: ZoneCount, day: string): ElectricityTariffRow {
  const rows = ROWS.filter((r) => r.zoneCount === zoneCount);
  return rows.find((r) => r.from <= day && (r.to === null || day <= r.to)) ?? rows[rows.length - 1];
}

/** Kopiyky for kWh at a price in thousandths of a hryvnia, rounded half up (integers only). */
export function chargeKop(kwh: number, mil: number): number {
  return Math.round((kwh * mil) / 10);
}
