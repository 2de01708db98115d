import type { Population } from '../population/index.js';
import { byTaxId, money, movePoint, thousandths, type ExpectedData } from '../kit/expected.js';
import { heatAccountsByTaxId } from './data.js';
import { HEAT_TARIFFS } from './tariffs.js';

/** The heating accounts and tariffs an adapter must return, from the emulator's records. */
export function expectedHeating(population: Population, taxIds: readonly string[]): ExpectedData {
  return {
    records: byTaxId(taxIds, (taxId) => heatAccountsByTaxId(population, taxId).map((a) => ({
      accountNumber: a.accountNumber,
      status: a.status,
      billingBasis: a.basis,
      balance: money(a.balanceKop),
      tariff: { id: a.tariffCode },
      bills: a.bills.map((b) => ({
        period: b.period, openingBalance: money(b.openingKop), accrued: money(b.accruedKop), paid: money(b.paidKop), toPay: money(b.toPayKop),
        consumption: thousandths(b.quantityMilli), unit: a.basis === 'METER' ? 'GCAL' : 'M2',
      })),
      readings: a.readings.map((r) => ({ meterNumber: a.meterNumber, takenOn: r.takenOn, value: thousandths(r.gcalMilli), estimated: r.estimated })),
    }))),
    tariffs: HEAT_TARIFFS.map((t) => ({
      id: t.code, validFrom: t.validFrom, validTo: t.validTo,
      components: t.components.map((c) => ({ kind: c.kind, price: { amount: movePoint(String(c.priceKop), 2), unit: c.unit } })),
    })),
  };
}
