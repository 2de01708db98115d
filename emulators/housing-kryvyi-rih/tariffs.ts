/**
 * The housing-maintenance company's price list: a monthly charge per m² of a flat's total area,
 * by building category, with lifts billed as a component of their own. Prices are kept in
 * kopiyky per m² so bills are computed in integers; the export writes them as "7.31".
 *
 * The rates are synthetic: no primary source for Kryvyi Rih's 2025 prices could be checked
 * (unverified). They sit where 2025 press reports put Ukrainian managers' prices: Odesa's
 * communal managers 3–5 UAH per m² and private ones 5.50–6.50 (November 2025), Kyiv's tendered
 * managers 10–14, a typical full service 9–10 (a lift was 1.27 in older price lists). Here 5.12–6.41 UAH per m²
 * without the lift (2.18 with one) from 1 January 2025, and a rise to 5.84–7.31 (lift 2.46) on
 * 1 December 2025, so the last twelve months' bills cross it.
 */

export type BuildingCategory = 1 | 2 | 3;
export type HousingComponentKind = 'HOUSE_MAINTENANCE' | 'LIFT_MAINTENANCE';

export interface HousingTariffRow {
  code: string;
  name: string;
  category: BuildingCategory;
  /** ISO dates. */
  validFrom: string;
  validTo: string | null;
  components: Array<{ kind: HousingComponentKind; name: string; priceKop: number }>;
}

export const CATEGORY_NAMES: Readonly<Record<BuildingCategory, string>> = {
  1: 'будинки до 4 поверхів',
  2: 'будинки 5 поверхів без ліфта',
  3: 'будинки 9 і більше поверхів з ліфтом',
};

const MAINTENANCE = 'Утримання будинку і прибудинкової території';
const LIFT = 'Технічне обслуговування ліфтів';

function row(category: BuildingCategory, validFrom: string, validTo: string | null, maintenanceKop: number, liftKop?: number): HousingTariffRow {
  const [y, m, d] = validFrom.split('-');
  const period = validTo ? `${d}.${m}.${y}–${validTo.split('-').reverse().join('.')}` : `з ${d}.${m}.${y}`;
  return {
    code: `ZHEO12-K${category}-${y}-${m}`,
    name: `Утримання: ${CATEGORY_NAMES[category]} (${period})`,
    category,
    validFrom,
    validTo,
    components: [
      { kind: 'HOUSE_MAINTENANCE', name: MAINTENANCE, priceKop: maintenanceKop },
      ...(liftKop === undefined ? [] : [{ kind: 'LIFT_MAINTENANCE' as const, name: LIFT, priceKop: liftKop }]),
    ],
  };
}

/** Current first, then the past ones. */
export const HOUSING_TARIFFS: readonly HousingTariffRow[] = [
  row(1, '2025-12-01', null, 584),
  row(2, '2025-12-01', null, 672),
  row(3, '2025-12-01', null, 731, 246),
  row(1, '2025-01-01', '2025-11-30', 512),
  row(2, '2025-01-01', '2025-11-30', 596),
  row(3, '2025-01-01', '2025-11-30', 641, 218),
];

/** The tariff of a category in force in a billing month (YYYY-MM); the oldest one before all history. */
export function housingTariffFor(category: BuildingCategory, period: string): HousingTariffRow {
  const day = `${period}-01`;
  const rows = HOUSING_TARIFFS.filter((r) => r.category === category);
  return rows.find((r) => r.validFrom <= day && (r.validTo === null || day <= r.validTo)) ?? rows[rows.length - 1];
}

/** Kopiyky a month for an area in hundredths of a m² at a tariff: each component rounded half up, as the company bills them. */
export function monthlyChargeKop(areaCenti: number, tariff: HousingTariffRow): number {
  return tariff.components.reduce((sum, c) => sum + Math.round((areaCenti * c.priceKop) / 100), 0);
}
