import { parseDecimalToMinorUnits } from '../../domain/money.js';
import type { Population } from '../population/index.js';
import { byTaxId, money, type ExpectedData } from '../kit/expected.js';
import { waterAccountsFor } from './data.js';
import { WATER_TARIFFS } from './tariffs.js';

const STATUS = { active: 'ACTIVE', disconnected: 'DISCONNECTED' } as const;
const KIND = { water_supply: 'WATER_SUPPLY', drainage: 'DRAINAGE' } as const;
const kop = (text: string) => money(parseDecimalToMinorUnits(text)!);

/** The water accounts and tariffs an adapter must return, from the emulator's records. */
export function expectedWater(population: Population, taxIds: readonly string[]): ExpectedData {
  return {
    records: byTaxId(taxIds, (taxId) => (waterAccountsFor(population, taxId) ?? []).map((a) => ({
      accountNumber: a.account_number, status: STATUS[a.status], residents: a.residents_count, balance: kop(a.balance),
      tariff: { id: a.tariff_id },
      bills: a.bills.map((b) => {
        const supply = b.charges.find((c) => c.service === 'water_supply');
        return {
          period: b.period_start.slice(0, 7), openingBalance: kop(b.opening_balance),
          accrued: money(b.charges.reduce((sum, c) => sum + parseDecimalToMinorUnits(c.amount)!, 0)),
          paid: kop(b.paid), toPay: kop(b.closing_balance), consumption: supply ? supply.volume_m3 : null, unit: supply ? 'M3' : null,
        };
      }),
      readings: a.meter_readings.map((r) => ({ meterNumber: r.meter_serial, takenOn: r.read_on, value: r.value_m3, estimated: r.is_estimated })),
    }))),
    tariffs: WATER_TARIFFS.map((t) => ({
      id: t.tariff_id, validFrom: t.valid_from, validTo: t.valid_to,
      components: t.components.map((c) => ({ kind: KIND[c.service], price: { amount: c.price_per_m3, unit: 'M3' } })),
    })),
  };
}
