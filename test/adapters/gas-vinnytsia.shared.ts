import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { projectRoot } from '../../domain/project-root.js';
import adapter from '../../adapters/gas-vinnytsia/index.js';
import { buildAdapter, TEST_NOW, type HarnessOptions } from './harness.js';

/**
 * Shared pieces of the Vinnytsia gas adapter's tests. The fixtures are kept as UTF-8 text with LF
 * line ends, so they read well in a diff; `exportFile` turns them into what the partner sends:
 * CRLF line ends, encoded in windows-1251. Amounts of a thousand and more carry 1C's no-break
 * space (U+00A0) between thousands, invisible in most editors.
 */

export const BASE_URL = 'http://gas-vinnytsia.test';
export const LOGIN = 'vikno-test';
/** With a colon in it: Basic auth splits at the first colon only. */
export const PASSWORD = 's3cret:with-colon';
export const BASIC_AUTH = `Basic ${Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64')}`;
export const PARTNER = 'gas-vinnytsia';
export const ABONENTS_PATH = '/export/abonents';
export const TARIFFS_PATH = '/export/tariffs';
export const CSV_TYPE = { 'Content-Type': 'text/csv; charset=windows-1251' };
export const TEXT_TYPE = { 'Content-Type': 'text/plain; charset=windows-1251' };

export const OLENA = '3111901220';
export const ANDRII = '2660404572';

/** A fixture's text, lines without their line ends. */
export function fixtureLines(name: string): string[] {
  return readFileSync(path.join(projectRoot(), 'test/fixtures/gas-vinnytsia', name), 'utf8').split('\n').filter((l) => l !== '');
}

/** Lines as the 1C export sends them: CRLF, windows-1251. */
export function exportFile(lines: readonly string[]): Buffer {
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'windows-1251');
}

export const fixture = (name: string) => exportFile(fixtureLines(name));

/** abonents.csv with one field changed in the first row that starts with `prefix`. */
export function abonentsWith(prefix: string, column: string, value: string): Buffer {
  const [header, ...rows] = fixtureLines('abonents.csv');
  const at = header.split(';').indexOf(column);
  const i = rows.findIndex((r) => r.startsWith(prefix));
  if (at < 0 || i < 0) throw new Error(`no column ${column} or row ${prefix} in the fixture`);
  const fields = rows[i].split(';');
  fields[at] = value;
  rows[i] = fields.join(';');
  return exportFile([header, ...rows]);
}

/** The export's answer when none of the asked tax ids is a customer: the header alone. */
export const emptyExport = () => exportFile(fixtureLines('abonents.csv').slice(0, 1));

/** The body the adapter posts: one tax id a line. */
export const requestBody = (taxIds: readonly string[]) => `${taxIds.join('\r\n')}\r\n`;

export function buildVinnytsia(overrides: Partial<HarnessOptions> = {}) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, secrets: { login: LOGIN, password: PASSWORD }, ...overrides }).ops;
}

/** What a caught error looks like to a subgraph: its code, partner and message. */
export function describeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const e = value as Error & { code?: unknown; partner?: unknown };
  return { code: e.code, partner: e.partner, message: e.message };
}

const money = (minorUnits: number) => ({ minorUnits, currency: 'UAH' });
const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' };
const components = (distribution: string) => [
  { kind: 'GAS_SUPPLY', name: 'Постачання природного газу', price: { amount: '7.96', currency: 'UAH', unit: 'M3' }, zone: null },
  { kind: 'GAS_DISTRIBUTION', name: 'Розподіл природного газу', price: { amount: distribution, currency: 'UAH', unit: 'M3' }, zone: null },
];

export const CURRENT_TARIFF = {
  id: '000000014', partnerId: PARTNER, service: 'GAS', name: 'Тариф "Побутовий" з 01.01.2026',
  validFrom: '2026-01-01', validTo: null, components: components('1.76'),
};

export const PAST_TARIFF = {
  id: '000000009', partnerId: PARTNER, service: 'GAS', name: 'Тариф "Побутовий" 01.01.2025–31.12.2025',
  validFrom: '2025-01-01', validTo: '2025-12-31', components: components('1.52'),
};

/** 3111901220's dacha in abonents.csv, mapped. */
export const OLENA_ACCOUNT = {
  service: 'GAS',
  partnerId: PARTNER,
  accountNumber: '0500012345',
  eic: '56ZVN0000012345H',
  meterNumber: '07731455',
  annualConsumptionM3: 420,
  address: '23222, Вінницька обл., Вінницький р-н, с. Якушинці, вул. Солов’їна, буд. 12',
  status: 'ACTIVE',
  balance: money(145015),
  tariff: CURRENT_TARIFF,
  readings: [
    { meterNumber: '07731455', takenOn: '2026-11-01', value: 10261.249, unit: 'M3', zone: null, estimated: true },
    { meterNumber: '07731455', takenOn: '2026-10-01', value: 10230.999, unit: 'M3', zone: null, estimated: false },
  ],
  bills: [
    { period: '2026-10', openingBalance: money(114776), accrued: money(30239), paid: money(0), toPay: money(145015), consumption: 30.25, unit: 'M3' },
    { period: '2026-09', openingBalance: money(120000), accrued: money(44776), paid: money(50000), toPay: money(114776), consumption: 48.512, unit: 'M3' },
  ],
  source,
};

/** 2660404572's gas-heated house in abonents.csv, in credit, mapped. */
export const ANDRII_HOUSE = {
  service: 'GAS',
  partnerId: PARTNER,
  accountNumber: '0500067890',
  eic: '56ZVN0000067890B',
  meterNumber: '31870042',
  annualConsumptionM3: 2400,
  address: '22050, Вінницька обл., Хмільницький р-н, с. Сокиринці, вул. Садова, буд. 3',
  status: 'ACTIVE',
  balance: money(-71122),
  tariff: CURRENT_TARIFF,
  readings: [
    { meterNumber: '31870042', takenOn: '2026-11-01', value: 5300.5, unit: 'M3', zone: null, estimated: true },
    { meterNumber: '31870042', takenOn: '2026-10-01', value: 5120, unit: 'M3', zone: null, estimated: false },
  ],
  bills: [
    { period: '2026-10', openingBalance: money(-150000), accrued: money(178878), paid: money(100000), toPay: money(-71122), consumption: 180.5, unit: 'M3' },
    { period: '2026-09', openingBalance: money(-150000), accrued: money(63856), paid: money(63856), toPay: money(-150000), consumption: 36, unit: 'M3' },
  ],
  source,
};

/** 2660404572's disconnected connection in abonents.csv, in debt, mapped. */
export const ANDRII_DISCONNECTED = {
  service: 'GAS',
  partnerId: PARTNER,
  accountNumber: '0500067891',
  eic: '56ZVN00000678919',
  meterNumber: '31870043',
  annualConsumptionM3: 300,
  address: '22050, Вінницька обл., Хмільницький р-н, с. Сокиринці, вул. Садова, буд. 5',
  status: 'DISCONNECTED',
  balance: money(258800),
  tariff: CURRENT_TARIFF,
  readings: [{ meterNumber: '31870043', takenOn: '2026-11-01', value: 812.345, unit: 'M3', zone: null, estimated: false }],
  bills: [
    { period: '2026-10', openingBalance: money(254400), accrued: money(4400), paid: money(0), toPay: money(258800), consumption: 0, unit: 'M3' },
    { period: '2026-09', openingBalance: money(250000), accrued: money(4400), paid: money(0), toPay: money(254400), consumption: 0, unit: 'M3' },
  ],
  source,
};
