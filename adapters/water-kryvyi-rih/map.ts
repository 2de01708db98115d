import { PartnerBadResponseError } from '../../domain/errors.js';
import { uah } from '../../domain/money.js';
import { uahAmount } from '../core/parse.js';
import type { AccountStatus, Bill, MeterReading, Provenance, Tariff, WaterAccount } from '../../domain/model.js';
import type { AccountPayload, TariffsPayload } from './payload.js';

/** The water utility's dialect → the domain model. Throws plain errors; callers wrap in mapOrBadResponse. */

const STATUS: Record<AccountPayload['status'], AccountStatus> = {
  active: 'ACTIVE',
  disconnected: 'DISCONNECTED',
  closed: 'CLOSED',
};

const COMPONENT = {
  water_supply: 'WATER_SUPPLY',
  drainage: 'DRAINAGE',
} as const;

const money = uahAmount;

export function mapTariffs(partnerId: string, payload: TariffsPayload): Tariff[] {
  return payload.data.map((t) => ({
    id: t.tariff_id,
    partnerId,
    service: 'WATER',
    name: t.title,
    validFrom: t.valid_from,
    validTo: t.valid_to,
    components: t.components.map((c) => ({
      kind: COMPONENT[c.service],
      name: c.title,
      price: { amount: c.price_per_m3, currency: 'UAH', unit: 'M3' },
      zone: null,
    })),
  }));
}

function address(a: AccountPayload['service_address']): string {
  const parts = [a.postcode, `м. ${a.city}`, a.street, `буд. ${a.building}`, a.flat ? `кв. ${a.flat}` : ''];
  return parts.filter(Boolean).join(', ');
}

function bill(b: AccountPayload['bills'][number]): Bill {
  const supply = b.charges.find((c) => c.service === 'water_supply');
  return {
    period: b.period_start.slice(0, 7),
    openingBalance: money(b.opening_balance),
    accrued: uah(b.charges.reduce((sum, c) => sum + money(c.amount).minorUnits, 0)),
    paid: money(b.paid),
    toPay: money(b.closing_balance),
    consumption: supply ? supply.volume_m3 : null,
    unit: supply ? 'M3' : null,
  };
}

function reading(r: AccountPayload['meter_readings'][number]): MeterReading {
  return { meterNumber: r.meter_serial, takenOn: r.read_on, value: r.value_m3, unit: 'M3', zone: null, estimated: r.is_estimated };
}

export function mapAccount(partnerId: string, a: AccountPayload, tariffs: readonly Tariff[], source: Provenance): WaterAccount {
  const tariff = tariffs.find((t) => t.id === a.tariff_id);
  if (!tariff) throw new PartnerBadResponseError(partnerId, 'an account refers to a tariff the partner does not list');
  return {
    service: 'WATER',
    partnerId,
    accountNumber: a.account_number,
    address: address(a.service_address),
    status: STATUS[a.status],
    balance: money(a.balance),
    tariff,
    residents: a.residents_count,
    readings: a.meter_readings.map(reading).sort((x, y) => y.takenOn.localeCompare(x.takenOn)),
    bills: a.bills.map(bill).sort((x, y) => y.period.localeCompare(x.period)),
    source,
  };
}
