import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';
import adapter from '../../adapters/vehicles-mvs/index.js';
import { buildAdapter, TEST_NOW, type HarnessOptions } from './harness.js';

/** Shared pieces of the vehicles adapter's tests: fixtures, the expected mapped objects, a builder. */

export const BASE_URL = 'http://mvs.test';
export const PARTNER = 'vehicles-mvs';
export const X_ROAD = { xRoadClient: 'UA/GOV/00003211/VIKNO', xRoadService: 'UA/GOV/03287166/MVS' };
export const REGISTRATIONS_PATH = '/r1/UA/GOV/03287166/MVS/registrationsByOwner/v1';
export const EXTRACT_PATH = '/r1/UA/GOV/03287166/MVS/registrationExtract/v1';

export const OLENA = '3111901220';
export const ANDRII = '2660404572';
/** A valid tax id nobody in the registry has. */
export const STRANGER = '3305412379';

export function fixture(name: string): any {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'test/fixtures/vehicles-mvs', name), 'utf8'));
}

export function buildVehicles(overrides: Partial<HarnessOptions> = {}) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, options: X_ROAD, ...overrides }).ops;
}

/** What a caught error looks like to a subgraph: its code, partner and message. */
export function describeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const e = value as Error & { code?: unknown; partner?: unknown };
  return { code: e.code, partner: e.partner, message: e.message };
}

export const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' };
const SALE = 'ПЕРЕРЕЄСТРАЦІЯ ТЗ НА НОВОГО ВЛАСНИКА ЗА ДОГОВОРОМ КУПІВЛІ-ПРОДАЖУ';
const PASSENGER_CAR = { kind: 'ЛЕГКОВИЙ', purpose: 'ЗАГАЛЬНИЙ' };
const KRYVYI_RIH = { koatuu: '1211000000', ownerKind: 'PERSON' };

/** registrations-olena.json, mapped: a used Golf whose European VIN carries a filler at position 9. */
export const OLENA_VEHICLE = {
  partnerId: PARTNER,
  vin: 'WVWZZZAUZHW123456',
  vinCheckDigitValid: false,
  plate: 'AE4127KC',
  plateCyrillic: 'АЕ4127КС',
  brand: 'VOLKSWAGEN',
  model: 'GOLF',
  makeYear: 2017,
  color: 'СИНІЙ',
  ...PASSENGER_CAR,
  body: 'ХЕТЧБЕК',
  fuel: 'БЕНЗИН',
  engineCapacityCm3: 1395,
  ownWeightKg: 1270,
  totalWeightKg: 1780,
  registration: { operationCode: '315', operationName: SALE, date: '2021-08-17', serviceCentre: { code: '1241', name: 'ТСЦ 1241' }, ...KRYVYI_RIH },
  certificate: { series: 'САА', number: '417305', firstRegisteredOn: '2017-03-14' },
  source,
};

/**
 * registrations-andrii.json, mapped: three operations make two vehicles, newest registration first.
 * The Camry is its newest operation (new plates, a new certificate); the Leaf is electric.
 */
export const ANDRII_VEHICLES = [
  {
    partnerId: PARTNER,
    vin: 'JTNB11HK1KU048213',
    vinCheckDigitValid: true,
    plate: 'AE1234KX',
    plateCyrillic: 'АЕ1234КХ',
    brand: 'TOYOTA',
    model: 'CAMRY',
    makeYear: 2019,
    color: 'ЧОРНИЙ',
    ...PASSENGER_CAR,
    body: 'СЕДАН',
    fuel: 'БЕНЗИН',
    engineCapacityCm3: 2494,
    ownWeightKg: 1505,
    totalWeightKg: 2030,
    registration: {
      operationCode: '410', operationName: 'ПЕРЕРЕЄСТРАЦІЯ ПРИ ЗАМІНІ НОМЕРНОГО ЗНАКУ', date: '2023-06-20',
      serviceCentre: { code: '1241', name: 'ТСЦ 1241' }, ...KRYVYI_RIH,
    },
    certificate: { series: 'СХК', number: '530982', firstRegisteredOn: '2019-04-02' },
    source,
  },
  {
    partnerId: PARTNER,
    vin: 'SJNFAAZE0JU271930',
    vinCheckDigitValid: false,
    plate: 'KE5309BI',
    plateCyrillic: 'КЕ5309ВІ',
    brand: 'NISSAN',
    model: 'LEAF',
    makeYear: 2018,
    color: 'БІЛИЙ',
    ...PASSENGER_CAR,
    body: 'ХЕТЧБЕК',
    fuel: 'ЕЛЕКТРО',
    engineCapacityCm3: null,
    ownWeightKg: 1520,
    totalWeightKg: 1965,
    registration: { operationCode: '315', operationName: SALE, date: '2022-10-11', serviceCentre: { code: '1241', name: 'ТСЦ 1241' }, ...KRYVYI_RIH },
    certificate: { series: 'ЕРА', number: '118264', firstRegisteredOn: '2018-05-23' },
    source,
  },
];

/** extract.json (about 3111901220's Golf), mapped. */
export function expectedExtract(): unknown {
  const body = fixture('extract.json');
  return {
    number: 'ТЗ-503387677434',
    issuedAt: '2026-11-05T09:30:00.000Z',
    registry: 'Єдиний державний реєстр транспортних засобів МВС',
    registrar: 'Територіальний сервісний центр № 1241 РСЦ ГСЦ МВС в Дніпропетровській області (філія ГСЦ МВС)',
    subject: 'WVWZZZAUZHW123456',
    content: body.content,
    document: {
      mediaType: 'text/plain; charset=utf-8',
      fileName: 'mvs-extract-WVWZZZAUZHW123456.txt',
      sizeBytes: Buffer.byteLength(body.content, 'utf8'),
      sha256: '11f09050bb5ea3c49c2fcf44c0536fab091c20231b538e2da578439256b69bad',
      base64: body.document.base64,
    },
    source,
  };
}
