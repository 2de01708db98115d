import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { projectRoot } from '../../domain/project-root.js';
import adapter from '../../adapters/heating-kryvyi-rih/index.js';
import type { PartnerHttp } from '../../adapters/core/http.js';
import { buildAdapter, TEST_NOW, type HarnessOptions } from './harness.js';

/** Shared pieces of the heating adapter's tests: fixtures, nock helpers, the expected mapped objects. */

export const BASE_URL = 'http://heating.test';
export const PARTNER = 'heating-kryvyi-rih';
export const SERVICE_PATH = '/billing/BillingService.asmx';
export const NS = 'http://teplo.kr.ua/billing/2011/';
export const CREDENTIALS = { username: 'vikno', password: 'p<a&ss>"1' };
export const XML = { 'Content-Type': 'text/xml; charset=utf-8' };

export function fixture(name: string): string {
  return readFileSync(path.join(projectRoot(), 'test/fixtures/heating-kryvyi-rih', name), 'utf8');
}

/** An interceptor for one SOAP operation whose request body contains every `parts` string. */
export function soap(operation: string, ...parts: string[]): nock.Interceptor {
  return nock(BASE_URL)
    .post(SERVICE_PATH, (body) => typeof body === 'string' && body.includes(`<tb:${operation}>`) && parts.every((p) => body.includes(p)))
    .matchHeader('soapaction', `"${NS}${operation}"`)
    .matchHeader('content-type', 'text/xml; charset=utf-8');
}

export const find = (taxId: string) => soap('FindAccountsByTaxId', `<tb:Ipn>${taxId}</tb:Ipn>`);
export const getAccount = (accountNumber: string) => soap('GetAccount', `<tb:OsRakhunok>${accountNumber}</tb:OsRakhunok>`);
export const getTariffs = () => soap('GetTariffs');

export function buildHeating(overrides: Partial<HarnessOptions> = {}) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, secrets: CREDENTIALS, ...overrides }).ops;
}

export function describeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const e = value as Error & { code?: unknown; partner?: unknown };
  return { code: e.code, partner: e.partner, message: e.message };
}

/** Wraps the http client to record the most calls in flight at once, by operation and overall. */
export function inFlightCounter() {
  const max: Record<string, number> = {};
  const now: Record<string, number> = {};
  const bump = (key: string, by: number) => {
    now[key] = (now[key] ?? 0) + by;
    max[key] = Math.max(max[key] ?? 0, now[key]);
  };
  const wrap = (http: PartnerHttp): PartnerHttp => ({
    partnerId: http.partnerId,
    with: (dialect) => wrap(http.with(dialect)), // the SOAP client's classifier keeps the count
    async request(op, request) {
      bump(op, 1);
      bump('all', 1);
      try {
        return await http.request(op, request);
      } finally {
        bump(op, -1);
        bump('all', -1);
      }
    },
  }) as PartnerHttp;
  return { wrap, max };
}

const money = (minorUnits: number) => ({ minorUnits, currency: 'UAH' });
const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' };
const component = (kind: string, name: string, amount: string, unit: string) => ({ kind, name, price: { amount, currency: 'UAH', unit }, zone: null });

export const METER_TARIFF = {
  id: 'TG-2025', partnerId: PARTNER, service: 'HEATING', name: 'Опалення за лічильником (з 01.10.2025)', validFrom: '2025-10-01', validTo: null,
  components: [
    component('HEAT_ENERGY', 'Теплова енергія (виробництво)', '1362.37', 'GCAL'),
    component('HEAT_TRANSPORT', 'Транспортування теплової енергії', '204.12', 'GCAL'),
    component('HEAT_SUPPLY_SERVICE', 'Постачання теплової енергії', '37.68', 'GCAL'),
  ],
};

export const AREA_TARIFF = {
  id: 'TP-2025', partnerId: PARTNER, service: 'HEATING', name: 'Опалення за площею (з 01.10.2025)', validFrom: '2025-10-01', validTo: null,
  components: [component('HEATING_BY_AREA', 'Централізоване опалення за площею', '29.68', 'M2')],
};

export const PAST_METER_TARIFF = {
  id: 'TG-2024', partnerId: PARTNER, service: 'HEATING', name: 'Опалення за лічильником (01.10.2024–30.09.2025)', validFrom: '2024-10-01', validTo: '2025-09-30',
  components: [
    component('HEAT_ENERGY', 'Теплова енергія (виробництво)', '1298.44', 'GCAL'),
    component('HEAT_TRANSPORT', 'Транспортування теплової енергії', '194.51', 'GCAL'),
    component('HEAT_SUPPLY_SERVICE', 'Постачання теплової енергії', '35.90', 'GCAL'),
  ],
};

/** get-account-4000000010.xml, mapped (3111901220's flat, billed by its heat meter). */
export const OLENA_ACCOUNT = {
  service: 'HEATING', partnerId: PARTNER, accountNumber: '4000000010',
  address: '50411, м. Кривий Ріг, просп. Металургів, буд. 28, кв. 41',
  status: 'ACTIVE', billingBasis: 'METER', heatedAreaM2: 47.85, balance: money(111164), tariff: METER_TARIFF,
  readings: [
    { meterNumber: '77198044', takenOn: '2026-11-01', value: 31.673, unit: 'GCAL', zone: null, estimated: true },
    { meterNumber: '77198044', takenOn: '2026-10-01', value: 31.291, unit: 'GCAL', zone: null, estimated: false },
  ],
  bills: [
    { period: '2026-10', openingBalance: money(89885), accrued: money(61279), paid: money(40000), toPay: money(111164), consumption: 0.382, unit: 'GCAL' },
    { period: '2026-09', openingBalance: money(109885), accrued: money(0), paid: money(20000), toPay: money(89885), consumption: 0, unit: 'GCAL' },
  ],
  source,
};

/** get-account-4000000119.xml, mapped (2660404572's house: no flat number, disconnected). */
export const ANDRII_HOUSE = {
  service: 'HEATING', partnerId: PARTNER, accountNumber: '4000000119',
  address: '50788, м. Кривий Ріг, вул. Соборності, буд. 7',
  status: 'DISCONNECTED', billingBasis: 'METER', heatedAreaM2: 101.28, balance: money(247531), tariff: METER_TARIFF,
  readings: [{ meterNumber: '64771657', takenOn: '2026-11-01', value: 263.991, unit: 'GCAL', zone: null, estimated: false }],
  bills: [
    { period: '2026-10', openingBalance: money(144543), accrued: money(102988), paid: money(0), toPay: money(247531), consumption: 0.642, unit: 'GCAL' },
  ],
  source,
};

/** get-account-4000000127.xml, mapped (2660404572's flat, billed by area, in credit). */
export const ANDRII_FLAT = {
  service: 'HEATING', partnerId: PARTNER, accountNumber: '4000000127',
  address: '50788, м. Кривий Ріг, вул. Лермонтова, буд. 14, кв. 9',
  status: 'ACTIVE', billingBasis: 'AREA', heatedAreaM2: 62.4, balance: money(-50023), tariff: AREA_TARIFF,
  readings: [],
  bills: [
    { period: '2026-10', openingBalance: money(-142625), accrued: money(92602), paid: money(0), toPay: money(-50023), consumption: 31.2, unit: 'M2' },
  ],
  source,
};
