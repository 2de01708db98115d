/**
 * The district-heating company's tariffs. Prices are kept in kopiyky so bills are computed in
 * integers; the SOAP answer writes them with a decimal comma (1362,37).
 */

export type HeatComponentKind = 'HEAT_ENERGY' | 'HEAT_TRANSPORT' | 'HEAT_SUPPLY_SERVICE' | 'HEATING_BY_AREA';

export interface HeatTariffRow {
  code: string;
  name: string;
  /** ISO dates. */
  validFrom: string;
  validTo: string | null;
  basis: 'METER' | 'AREA';
  components: Array<{ kind: HeatComponentKind; name: string; priceKop: number; unit: 'GCAL' | 'M2' }>;
}

const gcal = (energy: number, transport: number, supply: number): HeatTariffRow['components'] => [
  { kind: 'HEAT_ENERGY', name: 'Теплова енергія (виробництво)', priceKop: energy, unit: 'GCAL' },
  { kind: 'HEAT_TRANSPORT', name: 'Транспортування теплової енергії', priceKop: transport, unit: 'GCAL' },
  { kind: 'HEAT_SUPPLY_SERVICE', name: 'Постачання теплової енергії', priceKop: supply, unit: 'GCAL' },
];

const area = (price: number): HeatTariffRow['components'] => [
  { kind: 'HEATING_BY_AREA', name: 'Централізоване опалення за площею', priceKop: price, unit: 'M2' },
];

export const HEAT_TARIFFS: readonly HeatTariffRow[] = [
  { code: 'TG-2025', name: 'Опалення за лічильником (з 01.10.2025)', validFrom: '2025-10-01', validTo: null, basis: 'METER', components: gcal(136237, 20412, 3768) },
  { code: 'TP-2025', name: 'Опалення за площею (з 01.10.2025)', validFrom: '2025-10-01', validTo: null, basis: 'AREA', components: area(2968) },
  { code: 'TG-2024', name: 'Опалення за лічильником (01.10.2024–30.09.2025)', validFrom: '2024-10-01', validTo: '2025-09-30', basis: 'METER', components: gcal(129844, 19451, 3590) },
  { code: 'TP-2024', name: 'Опалення за площею (01.10.2024–30.09.2025)', validFrom: '2024-10-01', validTo: '2025-09-30', basis: 'AREA', components: area(2827) },
];

/** The tariff in force for a basis in a billing month (YYYY-MM); the oldest one before all history. */
export function heatTariffFor(basis: 'METER' | 'AREA', period: string): HeatTariffRow {
  const day = `${period}-01`;
  const rows = HEAT_TARIFFS.filter((r) => r.basis === basis);
  return rows.find((r) => r.validFrom <= day && (r.validTo === null || day <= r.validTo)) ?? rows[rows.length - 1];
}

/** Kopiyky per unit of the whole tariff (the Gcal components add up). */
export function unitPriceKop(row: HeatTariffRow): number {
  return row.components.reduce((sum, c) => sum + c.priceKop, 0);
}
