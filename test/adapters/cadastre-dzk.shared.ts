import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';
import adapter from '../../adapters/cadastre-dzk/index.js';
import { buildAdapter, TEST_NOW, type HarnessOptions } from './harness.js';

/** Shared pieces of the cadastre adapter's tests: fixtures, the expected mapped objects, a builder. */

export const BASE_URL = 'http://dzk.test';
export const PARTNER = 'cadastre-dzk';
export const X_ROAD = { xRoadClient: 'UA/GOV/00003211/VIKNO', xRoadService: 'UA/GOV/39765513/DZK' };
export const PARCELS_PATH = '/r1/UA/GOV/39765513/DZK/parcelsByOwner/v1';
export const EXTRACT_PATH = '/r1/UA/GOV/39765513/DZK/parcelExtract/v1';

export const OLENA = '3111901220';
export const ANDRII = '2660404572';
/** A valid tax id nobody in the registry has. */
export const STRANGER = '3305412379';

export function fixture(name: string): any {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'test/fixtures/cadastre-dzk', name), 'utf8'));
}

export function buildCadastre(overrides: Partial<HarnessOptions> = {}) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, options: X_ROAD, ...overrides }).ops;
}

/** What a caught error looks like to a subgraph: its code, partner and message. */
export function describeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const e = value as Error & { code?: unknown; partner?: unknown };
  return { code: e.code, partner: e.partner, message: e.message };
}

const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' };
const uah = (minorUnits: number) => ({ minorUnits, currency: 'UAH' });
const ENERGY_ZONE = "Охоронна зона навколо (вздовж) об'єкта енергетичної системи";
const SALE = 'Договір купівлі-продажу земельної ділянки, посвідчений приватним нотаріусом Криворізького міського нотаріального округу Петренко Л. В., р. №1874 від 03.07.2018';

/** 3111901220's parcel in parcels-by-owner.json, mapped. */
export const OLENA_PARCEL = {
  partnerId: PARTNER,
  cadastralNumber: '1211000000:02:015:0042',
  areaHectares: '0.0800',
  koatuu: '1211000000',
  address: 'м. Кривий Ріг, СТ «Металург», ділянка 42',
  category: { code: '001', name: 'Землі сільськогосподарського призначення' },
  purpose: { code: '01.05', name: 'Для індивідуального садівництва' },
  ownershipForm: 'PRIVATE',
  normativeValuation: uah(6_800_000),
  valuationYear: 2026,
  restrictions: [{ code: '01.05', name: ENERGY_ZONE, registeredOn: '2015-06-18' }],
  registeredOn: '2004-05-12',
  rights: [{
    kind: 'OWNERSHIP', holderName: 'Коваленко Олена Петрівна', share: '1/1',
    basis: 'Державний акт на право власності на земельну ділянку ЯЯ №123456 від 12.05.2004', registeredOn: '2004-05-12',
  }],
  source,
};

/** 2660404572's two parcels in parcels-by-owner.json, mapped: a homestead owned in halves and a field share. */
export const ANDRII_PARCELS = [
  {
    partnerId: PARTNER,
    cadastralNumber: '1211000000:02:015:0107',
    areaHectares: '0.1000',
    koatuu: '1211000000',
    address: '50788, м. Кривий Ріг, вул. Соборності, буд. 7',
    category: { code: '002', name: 'Землі житлової та громадської забудови' },
    purpose: {
      code: '02.01',
      name: 'Для будівництва і обслуговування житлового будинку, господарських будівель і споруд (присадибна ділянка)',
    },
    ownershipForm: 'PRIVATE',
    normativeValuation: uah(41_250_000),
    valuationYear: 2026,
    restrictions: [{ code: '01.03', name: "Охоронна зона навколо (вздовж) об'єкта зв'язку", registeredOn: '2019-02-11' }],
    registeredOn: '2009-04-21',
    rights: [
      { kind: 'OWNERSHIP', holderName: 'Шевченко Андрій Іванович', share: '1/2', basis: SALE, registeredOn: '2018-07-03' },
      { kind: 'OWNERSHIP', holderName: 'Шевченко Наталія Петрівна', share: '1/2', basis: SALE, registeredOn: '2018-07-03' },
    ],
    source,
  },
  {
    partnerId: PARTNER,
    cadastralNumber: '1222083600:01:002:0315',
    areaHectares: '3.8700',
    koatuu: '1222083600',
    address: 'Дніпропетровська обл., Криворізький р-н, Лозуватська сільська рада, за межами населених пунктів',
    category: { code: '001', name: 'Землі сільськогосподарського призначення' },
    purpose: { code: '01.01', name: 'Для ведення товарного сільськогосподарського виробництва' },
    ownershipForm: 'PRIVATE',
    normativeValuation: uah(14_899_500),
    valuationYear: 2026,
    restrictions: [{ code: '01.05', name: ENERGY_ZONE, registeredOn: '2014-03-05' }],
    registeredOn: '2005-11-14',
    rights: [{
      kind: 'OWNERSHIP', holderName: 'Шевченко Андрій Іванович', share: '1/1',
      basis: 'Свідоцтво про право на спадщину за законом, р. №2-567 від 21.09.2016', registeredOn: '2016-09-21',
    }],
    source,
  },
];

/** extract.json (the extract about 3111901220's parcel), mapped. */
export function expectedExtract(): unknown {
  const body = fixture('extract.json');
  return {
    number: 'НВ-242235292491',
    issuedAt: '2026-11-05T09:30:00.000Z',
    registry: 'Державний земельний кадастр',
    registrar: 'Державний кадастровий реєстратор Відділу у м. Кривому Розі Головного управління Держгеокадастру у Дніпропетровській області Левченко Ірина Миколаївна',
    subject: '1211000000:02:015:0042',
    content: body.content,
    document: {
      mediaType: 'text/plain; charset=utf-8',
      fileName: 'dzk-extract-1211000000-02-015-0042.txt',
      sizeBytes: Buffer.byteLength(body.content, 'utf8'),
      sha256: '7e058a0d26b726d1e352866fbfb33143d7c2adf0de6c9d1879140fbe9adcc413',
      base64: body.document.base64,
    },
    source,
  };
}
