import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';
import adapter from '../../adapters/gas-kryvyi-rih/index.js';
import { buildAdapter, TEST_NOW, type HarnessOptions } from './harness.js';

/** Shared pieces of the gas adapter's tests: fixtures, the expected mapped objects, a builder. */

export const BASE_URL = 'http://gas.test';
export const API_KEY = 'gas-test-key';
export const PARTNER = 'gas-kryvyi-rih';
export const LOOKUP_PATH = '/api/v1/accounts:batchLookup';
export const TARIFFS_PATH = '/api/v1/tariffs';

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'test/fixtures/gas-kryvyi-rih', name), 'utf8'));
}

export function buildGas(overrides: Partial<HarnessOptions> = {}) {
  return buildAdapter(adapter, { baseUrl: BASE_URL, secrets: { apiKey: API_KEY }, ...overrides }).ops;
}

/** What a caught error looks like to a subgraph: its code, partner and message. */

export function describeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const e = value as Error & { code?: unknown; partner?: unknown };
  return { code: e.code, partner: e.partner, message: e.message };
}

const money = (minorUnits: number) => ({ minorUnits, currency: 'UAH' });
const source = { partnerId: PARTNER, fetchedAt: TEST_NOW, freshness: 'LIVE' };

export const CURRENT_TARIFF = {
  id: 'KRG-HH-2025-05',
  partnerId: PARTNER,
  service: 'GAS',
  name: 'Побутові споживачі (з 01.05.2025)',
  validFrom: '2025-05-01',
  validTo: null,
  components: [
    { kind: 'GAS_SUPPLY', name: 'Постачання природного газу', price: { amount: '7.96', currency: 'UAH', unit: 'M3' }, zone: null },
    { kind: 'GAS_DISTRIBUTION', name: 'Розподіл природного газу', price: { amount: '1.26', currency: 'UAH', unit: 'M3' }, zone: null },
  ],
};

export const PAST_TARIFF = {
  id: 'KRG-HH-2024-01',
  partnerId: PARTNER,
  service: 'GAS',
  name: 'Побутові споживачі (01.01.2024–30.04.2025)',
  validFrom: '2024-01-01',
  validTo: '2025-04-30',
  components: [
    { kind: 'GAS_SUPPLY', name: 'Постачання природного газу', price: { amount: '7.96', currency: 'UAH', unit: 'M3' }, zone: null },
    { kind: 'GAS_DISTRIBUTION', name: 'Розподіл природного газу', price: { amount: '1.18', currency: 'UAH', unit: 'M3' }, zone: null },
  ],
};

/** 3111901220's account in batch-lookup.json, mapped. */
export const OLENA_ACCOUNT = {
  service: 'GAS',
  partnerId: PARTNER,
  accountNumber: '1200012345',
  eic: '56ZKR00000123451',
  meterNumber: '04417533',
  annualConsumptionM3: 480,
  address: '50027, м. Кривий Ріг, просп. Металургів, буд. 28, кв. 41',
  status: 'ACTIVE',
  balance: money(135004),
  tariff: CURRENT_TARIFF,
  readings: [
    { meterNumber: '04417533', takenOn: '2026-11-01', value: 10269, unit: 'M3', zone: null, estimated: true },
    { meterNumber: '04417533', takenOn: '2026-10-01', value: 10231, unit: 'M3', zone: null, estimated: false },
  ],
  bills: [
    { period: '2026-10', openingBalance: money(99716), accrued: money(35288), paid: money(0), toPay: money(135004), consumption: 38, unit: 'M3' },
    { period: '2026-09', openingBalance: money(120000), accrued: money(29716), paid: money(50000), toPay: money(99716), consumption: 31, unit: 'M3' },
  ],
  source,
};

/** 2660404572's disconnected account in batch-lookup.json, mapped. */
export const ANDRII_ACCOUNT = {
  service: 'GAS',
  partnerId: PARTNER,
  accountNumber: '1200067890',
  eic: '56ZKR0000067890W',
  meterNumber: '55120987',
  annualConsumptionM3: 2400,
  address: '50086, м. Кривий Ріг, вул. Соборності, буд. 7',
  status: 'DISCONNECTED',
  balance: money(275200),
  tariff: CURRENT_TARIFF,
  readings: [{ meterNumber: '55120987', takenOn: '2026-11-01', value: 30112, unit: 'M3', zone: null, estimated: false }],
  bills: [
    { period: '2026-10', openingBalance: money(250000), accrued: money(25200), paid: money(0), toPay: money(275200), consumption: 0, unit: 'M3' },
  ],
  source,
};
