import type { Population } from '../population/index.js';
import { byTaxId, money, movePoint, thousandths, type ExpectedData } from '../kit/expected.js';
import { abonentsFor } from './data.js';
import { GAS_VINNYTSIA_TARIFFS } from './tariffs.js';

const STATUS = { діючий: 'ACTIVE', відключений: 'DISCONNECTED', закритий: 'CLOSED' } as const;

/** The gas accounts and tariffs an adapter must return, from the emulator's records (litres → m³). */
export function expectedGasVinnytsia(population: Population, taxIds: readonly string[]): ExpectedData {
  return {
    records: byTaxId(taxIds, (taxId) => abonentsFor(population, taxId).map((a) => ({
      accountNumber: a.accountNumber, eic: a.eic, meterNumber: a.meterNumber, status: STATUS[a.status],
      annualConsumptionM3: a.annualM3, balance: money(a.balanceKop), tariff: { id: a.tariffCode },
      bills: a.bills.map((b) => ({
        period: b.period, openingBalance: money(b.openingKop), accrued: money(b.accruedKop), paid: money(b.paidKop),
        toPay: money(b.toPayKop), consumption: thousandths(b.consumptionLitres), unit: 'M3',
      })),
      readings: a.readings.map((r) => ({ meterNumber: a.meterNumber, takenOn: r.takenOn, value: thousandths(r.valueLitres), estimated: r.estimated })),
    }))),
    tariffs: GAS_VINNYTSIA_TARIFFS.map((t) => ({
      id: t.code, validFrom: t.validFrom, validTo: t.validTo,
      components: [
        { kind: 'GAS_SUPPLY', price: { amount: movePoint(String(t.supplyKop), 2), unit: 'M3' } },
        { kind: 'GAS_DISTRIBUTION', price: { amount: movePoint(String(t.distributionKop), 2), unit: 'M3' } },
      ],
    })),
  };
}
