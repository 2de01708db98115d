import { vinCheckChar } from '../../domain/identifiers.js';

/**
 * What the MVS registrations data set holds, as far as the emulated records use it: operations,
 * service centres, colours and the models common in Ukraine, each with how its VIN is built
 * (a North American check digit at position 9, or a European filler).
 */

export const OPERATIONS = {
  newFromDealer: { code: 100, name: '100 - ПЕРВИННА РЕЄСТРАЦІЯ НОВОГО ТЗ ПРИДБАНОГО В ТОРГОВЕЛЬНІЙ ОРГАНІЗАЦІЇ' },
  usedFromDealer: { code: 40, name: '40 - ВТОРИННА РЕЄСТРАЦІЯ ТЗ, ПРИДБАНОГО В ТОРГОВЕЛЬНІЙ ОРГАНІЗАЦІЇ' },
  sale: { code: 315, name: '315 - ПЕРЕРЕЄСТРАЦІЯ ТЗ НА НОВОГО ВЛАСНИКА ЗА ДОГОВОРОМ КУПІВЛІ-ПРОДАЖУ' },
  plateChange: { code: 410, name: '410 - ПЕРЕРЕЄСТРАЦІЯ ПРИ ЗАМІНІ НОМЕРНОГО ЗНАКУ' },
} as const;

/** Service centres of Kryvyi Rih (codes unverified) and the regional centre they belong to. */
export const SERVICE_CENTRES = [1241, 1242] as const;
export function serviceCentreName(code: number): string {
  return `Територіальний сервісний центр № ${code} РСЦ ГСЦ МВС в Дніпропетровській області (філія ГСЦ МВС)`;
}

export const COLORS = ['СІРИЙ', 'БІЛИЙ', 'ЧОРНИЙ', 'СИНІЙ', 'ЧЕРВОНИЙ', 'ЗЕЛЕНИЙ', 'КОРИЧНЕВИЙ'];
/** The Cyrillic letters plates use (they look like Latin ones). */
export const PLATE_LETTERS = [...'АВЕІКМНОРСТХ'];
/** Dnipropetrovsk oblast. */
export const PLATE_REGIONS = ['АЕ', 'КЕ'];
export const CERTIFICATE_SERIES = ['САА', 'СХЕ', 'СХК', 'ЕРА'];

export interface ModelSpec {
  brand: string;
  model: string;
  /** VIN positions 1–8: manufacturer and vehicle descriptor. */
  prefix: string;
  /** What stands at position 9: null for a computed check digit, otherwise a European filler. */
  filler: string | null;
  /** Position 11. */
  plant: string;
  body: string;
  fuel: string;
  capacity: number | null;
  ownWeight: number;
  totalWeight: number;
  years: [number, number];
}

export const MODELS: readonly ModelSpec[] = [
  { brand: 'VOLKSWAGEN', model: 'PASSAT', prefix: 'WVWZZZ3C', filler: 'Z', plant: 'E', body: 'УНІВЕРСАЛ', fuel: 'ДИЗЕЛЬНЕ ПАЛИВО', capacity: 1968, ownWeight: 1505, totalWeight: 2080, years: [2008, 2015] },
  { brand: 'VOLKSWAGEN', model: 'GOLF', prefix: 'WVWZZZAU', filler: 'Z', plant: 'W', body: 'ХЕТЧБЕК', fuel: 'БЕНЗИН', capacity: 1395, ownWeight: 1270, totalWeight: 1780, years: [2013, 2020] },
  { brand: 'SKODA', model: 'OCTAVIA', prefix: 'TMBJG7NE', filler: null, plant: '0', body: 'ХЕТЧБЕК', fuel: 'БЕНЗИН', capacity: 1395, ownWeight: 1247, totalWeight: 1820, years: [2014, 2021] },
  { brand: 'RENAULT', model: 'LOGAN', prefix: 'UU14SDAC', filler: '0', plant: 'R', body: 'СЕДАН', fuel: 'БЕНЗИН АБО ГАЗ', capacity: 1598, ownWeight: 1090, totalWeight: 1545, years: [2008, 2016] },
  { brand: 'TOYOTA', model: 'CAMRY', prefix: 'JTNB11HK', filler: null, plant: 'U', body: 'СЕДАН', fuel: 'БЕНЗИН', capacity: 2494, ownWeight: 1505, totalWeight: 2030, years: [2012, 2021] },
  { brand: 'FORD', model: 'FUSION', prefix: '3FA6P0H7', filler: null, plant: 'R', body: 'СЕДАН', fuel: 'БЕНЗИН АБО ГАЗ', capacity: 2488, ownWeight: 1550, totalWeight: 2020, years: [2013, 2017] },
  { brand: 'TESLA', model: 'MODEL 3', prefix: '5YJ3E1EA', filler: null, plant: 'F', body: 'СЕДАН', fuel: 'ЕЛЕКТРО', capacity: null, ownWeight: 1611, totalWeight: 2014, years: [2018, 2022] },
  { brand: 'NISSAN', model: 'LEAF', prefix: 'SJNFAAZE', filler: '0', plant: 'U', body: 'ХЕТЧБЕК', fuel: 'ЕЛЕКТРО', capacity: null, ownWeight: 1520, totalWeight: 1965, years: [2013, 2019] },
  { brand: 'DAEWOO', model: 'LANOS', prefix: 'Y6DTF69Y', filler: '0', plant: 'D', body: 'СЕДАН', fuel: 'БЕНЗИН', capacity: 1498, ownWeight: 1070, totalWeight: 1500, years: [2005, 2012] },
  { brand: 'HYUNDAI', model: 'TUCSON', prefix: 'TMAJ381A', filler: null, plant: 'U', body: 'УНІВЕРСАЛ', fuel: 'ДИЗЕЛЬНЕ ПАЛИВО', capacity: 1995, ownWeight: 1586, totalWeight: 2170, years: [2015, 2021] },
];

/** The model-year character at VIN position 10 (2001–2009 → 1–9, 2010 → A, …, no I, O, Q, U, Z). */
export function modelYearChar(year: number): string {
  return year < 2010 ? String(year - 2000) : 'ABCDEFGHJKLMNPRSTVWXY'[year - 2010];
}

/** A VIN for a model, year and 6-digit serial: check digit computed, or the model's filler kept. */
export function buildVin(spec: ModelSpec, year: number, serial: string): string {
  const draft = `${spec.prefix}0${modelYearChar(year)}${spec.plant}${serial}`;
  const ninth = spec.filler ?? vinCheckChar(draft);
  return `${draft.slice(0, 8)}${ninth}${draft.slice(9)}`;
}
