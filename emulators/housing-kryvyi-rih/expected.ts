import type { Population } from '../population/index.js';
import { byTaxId, money, movePoint, type ExpectedData } from '../kit/expected.js';
import { housingAccountsByTaxId } from './data.js';
import { HOUSING_TARIFFS } from './tariffs.js';

/** The housing accounts and tariffs an adapter must return, from the emulator's records. */
export function expectedHousing(population: Population, taxIds: readonly string[]): ExpectedData {
  return {
    records: byTaxId(taxIds, (taxId) => (housingAccountsByTaxId(population, taxId) ?? []).map((a) => ({
      accountNumber: a.accountNumber, status: 'ACTIVE', hasLift: a.hasLift, areaM2: Number(movePoint(String(a.areaCenti), 2)),
      balance: money(a.balanceKop), tariff: { id: a.tariffCode }, readings: [],
      bills: a.bills.map((b) => ({
        period: b.period, openingBalance: money(b.openingKop), accrued: money(b.accruedKop), paid: money(b.paidKop),
        toPay: money(b.toPayKop), consumption: Number(movePoint(String(b.areaCenti), 2)), unit: 'M2',
      })),
    }))),
    tariffs: HOUSING_TARIFFS.map((t) => ({
      id: t.code, validFrom: t.validFrom, validTo: t.validTo,
      components: t.components.map((c) => ({ kind: c.kind, price: { amount: movePoint(String(c.priceKop), 2), unit: 'M2' } })),
    })),
  };
}
