import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';
import type { Bill, Tariff, WaterAccount } from '../../domain/model.js';
import adapter from '../../adapters/water-kryvyi-rih/index.js';
import { buildAdapter, TEST_NOW, type HarnessOptions } from './harness.js';

/** Shared pieces of the water adapter's tests: fixtures, the expected mapped objects, a builder. */

export const PARTNER = 'water-kryvyi-rih';
export const BASE_URL = 'http://water.test';
export const TOKEN = 'water-test-token';
export const OLENA = '3111901220';
export const ANDRII = '2660404572';
export const ACCOUNTS_PATH = '/api/v2/accounts';
export const TARIFFS_PATH = '/api/v2/tariffs';
/** A Retry-After in the past: got then waits 1 ms (a `0` would make it fall back to its 1 s backoff). */
export const RETRY_NOW = { 'Retry-After': 'Thu, 01 Jan 1970 00:00:00 GMT' };

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'test/fixtures/water-kryvyi-rih', name), 'utf8'));
}

export function query(taxId: string, page: number) {
  return { owner_tax_id: taxId, page: String(page), per_page: '2' };
}

export function buildWater(options: Partial<HarnessOptions> = {}) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, secrets: { token: TOKEN }, ...options }).ops;
}

/** A batch result with each Error reduced to what a client may learn from it. */
export function outcome<T>(results: Array<T | Error>): Array<T | { code: unknown; partner: unknown; message: string }> {
  return results.map((r) => (r instanceof Error ? { code: (r as { code?: unknown }).code, partner: (r as { partner?: unknown }).partner, message: r.message } : r));
}

const uah = (minorUnits: number) => ({ minorUnits, currency: 'UAH' as const });
const bill = (period: string, opening: number, accrued: number, paid: number, toPay: number, consumption: number | null): Bill => ({
  period, openingBalance: uah(opening), accrued: uah(accrued), paid: uah(paid), toPay: uah(toPay), consumption, unit: consumption === null ? null : 'M3',
});
const reading = (meterNumber: string, takenOn: string, value: number, estimated: boolean) => ({
  meterNumber, takenOn, value, unit: 'M3' as const, zone: null, estimated,
});

export const CURRENT_TARIFF: Tariff = {
  id: 'KRV-VK-2025-07',
  partnerId: PARTNER,
  service: 'WATER',
  name: 'Населення (з 01.07.2025)',
  validFrom: '2025-07-01',
  validTo: null,
  components: [
    { kind: 'WATER_SUPPLY', name: 'Централізоване водопостачання', price: { amount: '14.796', currency: 'UAH', unit: 'M3' }, zone: null },
    { kind: 'DRAINAGE', name: 'Централізоване водовідведення', price: { amount: '10.824', currency: 'UAH', unit: 'M3' }, zone: null },
  ],
};

export const EXPECTED_TARIFFS: Tariff[] = [
  CURRENT_TARIFF,
  {
    id: 'KRV-VK-2024-07',
    partnerId: PARTNER,
    service: 'WATER',
    name: 'Населення (01.07.2024–30.06.2025)',
    validFrom: '2024-07-01',
    validTo: '2025-06-30',
    components: [
      { kind: 'WATER_SUPPLY', name: 'Централізоване водопостачання', price: { amount: '12.912', currency: 'UAH', unit: 'M3' }, zone: null },
      { kind: 'DRAINAGE', name: 'Централізоване водовідведення', price: { amount: '9.348', currency: 'UAH', unit: 'M3' }, zone: null },
    ],
  },
];

const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' as const };

/** Olena's three accounts from the two fixture pages, mapped by hand. */
export const OLENA_ACCOUNTS: WaterAccount[] = [
  {
    service: 'WATER', partnerId: PARTNER, accountNumber: '100314159',
    address: '50411, м. Кривий Ріг, просп. Металургів, буд. 28, кв. 41',
    status: 'ACTIVE', balance: uah(98568), tariff: CURRENT_TARIFF, residents: 4,
    readings: [reading('GR-18862526', '2026-11-01', 625, true), reading('GR-18862526', '2026-10-01', 611, false)],
    bills: [bill('2026-10', 82500, 35868, 19800, 98568, 14), bill('2026-09', 70000, 30744, 18244, 82500, 12)],
    source,
  },
  {
    service: 'WATER', partnerId: PARTNER, accountNumber: '100322078',
    address: '50869, м. Кривий Ріг, вул. Віталія Матусевича, буд. 39',
    status: 'CLOSED', balance: uah(-15000), tariff: CURRENT_TARIFF, residents: 1,
    readings: [reading('SN-82816023', '2026-11-01', 1274, false), reading('SN-82816023', '2026-10-01', 1272, false)],
    bills: [bill('2026-10', -10000, 5124, 10124, -15000, 2), bill('2026-09', -10000, 7686, 7686, -10000, 3)],
    source,
  },
  {
    service: 'WATER', partnerId: PARTNER, accountNumber: '100329997',
    address: '50567, м. Кривий Ріг, вул. Волгоградська, буд. 97, кв. 42',
    status: 'DISCONNECTED', balance: uah(62445), tariff: CURRENT_TARIFF, residents: 2,
    readings: [reading('NK-65353254', '2026-11-01', 2203, false)],
    bills: [bill('2026-10', 62445, 0, 0, 62445, 0), bill('2026-09', 62445, 0, 0, 62445, null)],
    source,
  },
];
