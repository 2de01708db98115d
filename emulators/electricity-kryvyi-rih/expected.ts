import type { Population } from '../population/index.js';
import { byTaxId, money, movePoint, type ExpectedData } from '../kit/expected.js';
import { meteringPointsFor } from './data.js';
import { ELECTRICITY_TARIFFS } from './tariffs.js';

const STATUS = { CONNECTED: 'ACTIVE', DISCONNECTED: 'DISCONNECTED', TERMINATED: 'CLOSED' } as const;
const ZONE = { 'all-day': 'ALL_DAY', day: 'DAY', night: 'NIGHT', peak: 'PEAK', 'half-peak': 'HALF_PEAK' } as const;
const SCHEME = { 1: 'SINGLE', 2: 'TWO_ZONE', 3: 'THREE_ZONE' } as const;

/** The electricity accounts (metering points) and tariffs an adapter must return, from the emulator's records. */
export function expectedElectricity(population: Population, taxIds: readonly string[]): ExpectedData {
  return {
    records: byTaxId(taxIds, (taxId) => (meteringPointsFor(population, taxId) ?? []).map((p) => ({
      accountNumber: p.personalAccount, eic: p.eic, status: STATUS[p.state], zoneScheme: SCHEME[p.zoneCount],
      balance: money(p.balanceKop), tariff: { id: p.tariffCode },
      bills: p.invoices.map((i) => ({
        period: i.billingMonth.slice(0, 7), openingBalance: money(i.openingBalanceKop), accrued: money(i.chargedKop), paid: money(i.paidKop),
        toPay: money(i.closingBalanceKop), consumption: i.consumptionKwh, unit: 'KWH',
      })),
      readings: p.readings.map((r) => ({
        meterNumber: p.meter.serialNumber, takenOn: r.readingDate, zone: ZONE[r.zone], value: r.valueKwh, estimated: r.origin === 'ESTIMATED',
      })),
    }))),
    tariffs: ELECTRICITY_TARIFFS.map((t) => ({
      id: t.code, validFrom: t.effectiveFrom, validTo: t.effectiveTo,
      components: t.rates.map((r) => ({
        kind: 'ELECTRICITY', zone: { name: ZONE[r.zone], hours: r.hours }, price: { amount: movePoint(r.priceKopPerKwh, 2), unit: 'KWH' },
      })),
    })),
  };
}
