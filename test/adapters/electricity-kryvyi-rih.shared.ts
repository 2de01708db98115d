import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { projectRoot } from '../../domain/project-root.js';
import type { Bill, ElectricityAccount, MeterReading, Tariff, TariffComponent, ZoneName } from '../../domain/model.js';
import adapter from '../../adapters/electricity-kryvyi-rih/index.js';
import { buildAdapter, TEST_NOW, type HarnessOptions } from './harness.js';

/** Shared pieces of the electricity adapter's tests: fixtures, the expected mapped objects, builders. */

export const PARTNER = 'electricity-kryvyi-rih';
export const BASE_URL = 'http://electricity.test';
export const CLIENT = { clientId: 'vikno-client', clientSecret: 'vikno-secret' };
export const OLENA = '3111901220';
export const ANDRII = '2660404572';
export const TARIFFS_PATH = '/api/tariffs';
export const pointsPath = (taxId: string) => `/api/customers/${taxId}/metering-points`;
export const TOKEN_FORM = { grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'test/fixtures/electricity-kryvyi-rih', name), 'utf8'));
}

export function buildElectricity(options: Partial<HarnessOptions> = {}) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, secrets: CLIENT, ...options }).ops;
}

/** The token endpoint answering `token` for the client's credentials, `times` times. */
export function tokenEndpoint(token: string, times = 1) {
  return nock(BASE_URL).post('/oauth/token', TOKEN_FORM).times(times).reply(200, { access_token: token, token_type: 'Bearer', expires_in: 300 });
}

/** The data API admitting only `token`. */
export function api(token: string) {
  return nock(BASE_URL, { reqheaders: { authorization: `Bearer ${token}` } });
}

/** A batch result with each Error reduced to what a client may learn from it. */
export function outcome<T>(results: Array<T | Error>): Array<T | { code: unknown; partner: unknown; message: string }> {
  return results.map((r) => (r instanceof Error ? { code: (r as { code?: unknown }).code, partner: (r as { partner?: unknown }).partner, message: r.message } : r));
}

const uah = (minorUnits: number) => ({ minorUnits, currency: 'UAH' as const });
const bill = (period: string, opening: number, accrued: number, paid: number, toPay: number, consumption: number | null): Bill => ({
  period, openingBalance: uah(opening), accrued: uah(accrued), paid: uah(paid), toPay: uah(toPay), consumption, unit: consumption === null ? null : 'KWH',
});
const reading = (meterNumber: string, takenOn: string, zone: ZoneName, value: number, estimated = false): MeterReading => ({
  meterNumber, takenOn, value, unit: 'KWH', zone, estimated,
});
const component = (name: string, amount: string, zone: ZoneName, hours: string[]): TariffComponent => ({
  kind: 'ELECTRICITY', name, price: { amount, currency: 'UAH', unit: 'KWH' }, zone: { name: zone, hours },
});
const tariff = (id: string, name: string, validFrom: string, validTo: string | null, components: TariffComponent[]): Tariff => ({
  id, partnerId: PARTNER, service: 'ELECTRICITY', name, validFrom, validTo, components,
});

export const SINGLE = tariff('KREK-1Z-2024-06', 'Населення, однозонний облік', '2024-06-01', null, [
  component('Цілодобово', '4.32', 'ALL_DAY', ['00:00-24:00']),
]);
export const TWO_ZONE = tariff('KREK-2Z-2024-06', 'Населення, двозонний облік', '2024-06-01', null, [
  component('Денна зона', '4.32', 'DAY', ['07:00-23:00']),
  component('Нічна зона', '2.16', 'NIGHT', ['23:00-07:00']),
]);
export const THREE_ZONE = tariff('KREK-3Z-2024-06', 'Населення, тризонний облік', '2024-06-01', null, [
  component('Пікова зона', '6.48', 'PEAK', ['08:00-11:00', '20:00-22:00']),
  component('Напівпікова зона', '4.32', 'HALF_PEAK', ['07:00-08:00', '11:00-20:00', '22:00-23:00']),
  component('Нічна зона', '1.728', 'NIGHT', ['23:00-07:00']),
]);
export const EXPECTED_TARIFFS: Tariff[] = [
  SINGLE, TWO_ZONE, THREE_ZONE,
  tariff('KREK-1Z-2023-06', 'Населення, однозонний облік (до 31.05.2024)', '2023-06-01', '2024-05-31', [
    component('Цілодобово', '2.64', 'ALL_DAY', ['00:00-24:00']),
  ]),
];

const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' as const };

export const OLENA_POINTS: ElectricityAccount[] = [
  {
    service: 'ELECTRICITY', partnerId: PARTNER, accountNumber: '2000271828', eic: '62Z542831716345E', zoneScheme: 'TWO_ZONE',
    address: 'Дніпропетровська обл., м. Кривий Ріг, просп. Металургів, 28, кв. 41, 50411',
    status: 'ACTIVE', balance: uah(358910), tariff: TWO_ZONE,
    readings: [
      reading('455793626972', '2026-11-01', 'DAY', 34539), reading('455793626972', '2026-11-01', 'NIGHT', 14443),
      reading('455793626972', '2026-10-01', 'DAY', 34387, true), reading('455793626972', '2026-10-01', 'NIGHT', 14350, true),
    ],
    bills: [bill('2026-10', 505758, 85752, 232600, 358910, 245), bill('2026-09', 415902, 89856, 0, 505758, 257)],
    source,
  },
  {
    service: 'ELECTRICITY', partnerId: PARTNER, accountNumber: '2000376557', eic: '62Z564559052712Y', zoneScheme: 'SINGLE',
    address: 'Дніпропетровська обл., м. Кривий Ріг, вул. Лермонтова, 41, 50377',
    status: 'DISCONNECTED', balance: uah(349349), tariff: SINGLE,
    readings: [reading('706523052953', '2026-11-01', 'ALL_DAY', 34510)],
    bills: [bill('2026-10', 349349, 0, 0, 349349, 0), bill('2026-09', 349349, 0, 0, 349349, null)],
    source,
  },
];

export const ANDRII_POINTS: ElectricityAccount[] = [
  {
    service: 'ELECTRICITY', partnerId: PARTNER, accountNumber: '2000481286', eic: '62Z951201936055V', zoneScheme: 'THREE_ZONE',
    address: 'Дніпропетровська обл., м. Кривий Ріг, вул. Соборності, 7, 50788',
    status: 'ACTIVE', balance: uah(-74500), tariff: THREE_ZONE,
    readings: [
      reading('123456789012', '2026-11-01', 'PEAK', 3040), reading('123456789012', '2026-11-01', 'HALF_PEAK', 7090),
      reading('123456789012', '2026-11-01', 'NIGHT', 9070),
    ],
    bills: [bill('2026-10', -70000, 76896, 81396, -74500, 200)],
    source,
  },
];
