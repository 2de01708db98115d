/**
 * The distributor's household tariffs as its 1C catalogue holds them: a nine-digit catalogue code,
 * one row per price component. Prices are kept here in kopiyky per m³ so bills are computed in
 * integers; the export prints them with a decimal comma.
 */

export interface GasVinnytsiaTariff {
  /** The 1C catalogue code, e.g. `000000014`. */
  code: string;
  /** As typed by the billing clerks, straight quotes and all. */
  name: string;
  validFrom: string;
  validTo: string | null;
  supplyKop: number;
  distributionKop: number;
}

// Supply: the fixed household price (7.96 UAH/m³); distribution: this distributor's own tariff
// (about 1.76 UAH/m³ in Vinnytsia oblast, per m³ of the annual norm). Newest first, as 1C lists them.
export const GAS_VINNYTSIA_TARIFFS: readonly GasVinnytsiaTariff[] = [
  { code: '000000014', name: 'Тариф "Побутовий" з 01.01.2026', validFrom: '2026-01-01', validTo: null, supplyKop: 796, distributionKop: 176 },
  { code: '000000009', name: 'Тариф "Побутовий" 01.01.2025–31.12.2025', validFrom: '2025-01-01', validTo: '2025-12-31', supplyKop: 796, distributionKop: 152 },
];

/** The tariff in force on a day (YYYY-MM-DD) or in a billing month (YYYY-MM); the oldest before all history. */
export function gasVinnytsiaTariffOn(date: string): GasVinnytsiaTariff {
  const day = date.length === 7 ? `${date}-01` : date;
  return GAS_VINNYTSIA_TARIFFS.find((t) => t.validFrom <= day && (t.validTo === null || day <= t.validTo))
    ?? GAS_VINNYTSIA_TARIFFS[GAS_VINNYTSIA_TARIFFS.length - 1];
}
