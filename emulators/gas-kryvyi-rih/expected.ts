import type { Population } from '../population/index.js';
import { byTaxId, money, type ExpectedData } from '../kit/expected.js';
import { gasAccountsFor } from './data.js';
import { GAS_TARIFFS } from './tariffs.js';

const STATUS = { active: 'ACTIVE', disconnected: 'DISCONNECTED', closed: 'CLOSED' } as const;
const KIND = { supply: 'GAS_SUPPLY', distribution: 'GAS_DISTRIBUTION' } as const;

/** The gas accounts and tariffs an adapter must return, from the emulator's records. */
export function expectedGasKryvyiRih(population: Population, taxIds: readonly string[]): ExpectedData {
  return {
    records: byTaxId(taxIds, (taxId) => (gasAccountsFor(population, taxId) ?? []).map((a) => ({
      accountNumber: a.accountNumber, eic: a.eic, meterNumber: a.meterNumber, status: STATUS[a.status],
      annualConsumptionM3: a.annualConsumptionM3, balance: money(a.balanceKop), tariff: { id: a.tariffId },
      bills: a.bills.map((b) => ({
        period: b.period, openingBalance: money(b.openingBalanceKop), accrued: money(b.accruedKop), paid: money(b.paidKop),
        toPay: money(b.toPayKop), consumption: b.consumptionM3, unit: 'M3',
      })),
      readings: a.readings.map((r) => ({ meterNumber: a.meterNumber, takenOn: r.takenOn, value: r.valueM3, estimated: r.estimated })),
    }))),
    tariffs: GAS_TARIFFS.map((t) => ({
      id: t.id, validFrom: t.validFrom, validTo: t.validTo,
      components: t.components.map((c) => ({ kind: KIND[c.kind], price: { amount: c.pricePerUnit, unit: 'M3' } })),
    })),
  };
}
