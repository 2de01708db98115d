import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { projectRoot } from '../../domain/project-root.js';
import adapter from '../../adapters/housing-kryvyi-rih/index.js';
import { buildAdapter, TEST_NOW, type HarnessOptions } from './harness.js';

/** Shared pieces of the housing-maintenance adapter's tests: fixtures, nock helpers, the expected mapped objects. */

export const PARTNER = 'housing-kryvyi-rih';
export const BASE_URL = 'http://housing.test';
export const ABONENTS_PATH = '/export/abonents';
export const TARIFFS_PATH = '/export/tariffs';
export const OLENA = '3111901220';
export const ANDRII = '2660404572';
export const UNKNOWN = '1234567899';
/** A colon and non-ASCII in the password: Basic auth encodes the UTF-8 of "user:password". */
export const CREDENTIALS = { username: 'vikno', password: 'пароль:1' };
export const BASIC = `Basic ${Buffer.from('vikno:пароль:1', 'utf8').toString('base64')}`;
export const XML = { 'Content-Type': 'application/xml; charset=utf-8' };

export function fixture(name: string): string {
  return readFileSync(path.join(projectRoot(), 'test/fixtures/housing-kryvyi-rih', name), 'utf8');
}

/** An interceptor for one export call asking for exactly these tax ids, in this order, with our credentials. */
export function abonents(...taxIds: string[]): nock.Interceptor {
  return nock(BASE_URL).get(ABONENTS_PATH).query({ ipn: taxIds.join(',') }).matchHeader('authorization', BASIC);
}

export function tariffs(): nock.Interceptor {
  return nock(BASE_URL).get(TARIFFS_PATH).matchHeader('authorization', BASIC);
}

export function buildHousing(overrides: Partial<HarnessOptions> = {}) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, secrets: CREDENTIALS, ...overrides }).ops;
}

/** A batch result with each Error reduced to what a client may learn from it. */
export function outcome(results: unknown[]): unknown[] {
  return results.map((r) => (r instanceof Error ? { code: (r as { code?: unknown }).code, partner: (r as { partner?: unknown }).partner, message: r.message } : r));
}

const money = (minorUnits: number) => ({ minorUnits, currency: 'UAH' });
const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' };
const maintenance = (amount: string) => ({ kind: 'HOUSE_MAINTENANCE', name: 'Утримання будинку і прибудинкової території', price: { amount, currency: 'UAH', unit: 'M2' }, zone: null });
const lift = (amount: string) => ({ kind: 'LIFT_MAINTENANCE', name: 'Технічне обслуговування ліфтів', price: { amount, currency: 'UAH', unit: 'M2' }, zone: null });
const tariff = (id: string, name: string, validFrom: string, validTo: string | null, components: Array<ReturnType<typeof maintenance | typeof lift>>) =>
  ({ id, partnerId: PARTNER, service: 'HOUSING', name, validFrom, validTo, components });

export const K1_TARIFF = tariff('ZHEO12-K1-2025-12', 'Утримання: будинки до 4 поверхів (з 01.12.2025)', '2025-12-01', null, [maintenance('5.84')]);
export const K2_TARIFF = tariff('ZHEO12-K2-2025-12', 'Утримання: будинки 5 поверхів без ліфта (з 01.12.2025)', '2025-12-01', null, [maintenance('6.72')]);
export const K3_TARIFF = tariff('ZHEO12-K3-2025-12', 'Утримання: будинки 9 і більше поверхів з ліфтом (з 01.12.2025)', '2025-12-01', null, [maintenance('7.31'), lift('2.46')]);
export const PAST_K1_TARIFF = tariff('ZHEO12-K1-2025-01', 'Утримання: будинки до 4 поверхів (01.01.2025–30.11.2025)', '2025-01-01', '2025-11-30', [maintenance('5.12')]);
export const PAST_K2_TARIFF = tariff('ZHEO12-K2-2025-01', 'Утримання: будинки 5 поверхів без ліфта (01.01.2025–30.11.2025)', '2025-01-01', '2025-11-30', [maintenance('5.96')]);
export const PAST_K3_TARIFF = tariff('ZHEO12-K3-2025-01', 'Утримання: будинки 9 і більше поверхів з ліфтом (01.01.2025–30.11.2025)', '2025-01-01', '2025-11-30', [maintenance('6.41'), lift('2.18')]);
export const ALL_TARIFFS = [K1_TARIFF, K2_TARIFF, K3_TARIFF, PAST_K1_TARIFF, PAST_K2_TARIFF, PAST_K3_TARIFF];

/** abonents-demo.xml, mapped: Olena's flat in a block with a lift, in arrears (newest bill first). */
export const OLENA_FLAT = {
  service: 'HOUSING', partnerId: PARTNER, accountNumber: '120000001',
  address: '50411, м. Кривий Ріг, просп. Металургів, буд. 28, кв. 41',
  status: 'ACTIVE', areaM2: 52.3, hasLift: true, balance: money(205410), tariff: K3_TARIFF,
  readings: [],
  bills: [
    { period: '2026-10', openingBalance: money(154313), accrued: money(51097), paid: money(0), toPay: money(205410), consumption: 52.3, unit: 'M2' },
    { period: '2026-09', openingBalance: money(154016), accrued: money(51097), paid: money(50800), toPay: money(154313), consumption: 52.3, unit: 'M2' },
  ],
  source,
};

/** abonents-demo.xml, mapped: a flat Olena sold, its account closed, no bills in the export. */
export const OLENA_SOLD_FLAT = {
  service: 'HOUSING', partnerId: PARTNER, accountNumber: '120000002',
  address: '50069, м. Кривий Ріг, вул. Каткова, буд. 3, кв. 12',
  status: 'CLOSED', areaM2: 38.6, hasLift: false, balance: money(0), tariff: PAST_K1_TARIFF,
  readings: [],
  bills: [],
  source,
};

/** abonents-demo.xml, mapped: Andrii's flat in a five-storey block, in credit, one month in the export. */
export const ANDRII_FLAT = {
  service: 'HOUSING', partnerId: PARTNER, accountNumber: '120000011',
  address: '50788, м. Кривий Ріг, вул. Лермонтова, буд. 14, кв. 9',
  status: 'ACTIVE', areaM2: 64.1, hasLift: false, balance: money(-34500), tariff: K2_TARIFF,
  readings: [],
  bills: [
    { period: '2026-10', openingBalance: money(-34500), accrued: money(43075), paid: money(43075), toPay: money(-34500), consumption: 64.1, unit: 'M2' },
  ],
  source,
};
