import { PartnerBadResponseError } from '../../domain/errors.js';
import { checkEic } from '../../domain/identifiers.js';
import { uah } from '../../domain/money.js';
import type {
  AccountStatus, Bill, ElectricityAccount, MeterReading, Provenance, Tariff, ZoneName,
} from '../../domain/model.js';
import type { MeteringPointPayload, TariffsPayload } from './payload.js';

/** The electricity supplier's dialect → the domain model. Callers wrap these in mapOrBadResponse. */

type ZoneCode = TariffsPayload['tariffs'][number]['rates'][number]['zone'];

const ZONE: Record<ZoneCode, ZoneName> = { 'all-day': 'ALL_DAY', day: 'DAY', night: 'NIGHT', peak: 'PEAK', 'half-peak': 'HALF_PEAK' };
/** Readings of one date list the zones in this order, whatever order the partner sends. */
const ZONE_ORDER: readonly ZoneName[] = ['ALL_DAY', 'PEAK', 'DAY', 'HALF_PEAK', 'NIGHT'];

const STATUS: Record<MeteringPointPayload['state'], AccountStatus> = {
  CONNECTED: 'ACTIVE',
  DISCONNECTED: 'DISCONNECTED',
  TERMINATED: 'CLOSED',
};

const SCHEME = { 1: 'SINGLE', 2: 'TWO_ZONE', 3: 'THREE_ZONE' } as const;

/**
 * Kopiyky per kWh as the partner writes them → hryvnias as a decimal string, by moving the point
 * two places, never through a float: "172.8" → "1.728", "432" → "4.32".
 */
export function kopiykyToHryvnias(text: string): string {
  const [whole, fraction = ''] = text.split('.');
  const padded = whole.padStart(3, '0');
  const hryvnias = padded.slice(0, -2).replace(/^0+(?=\d)/, '');
  const decimals = `${padded.slice(-2)}${fraction}`.replace(/0+$/, '').padEnd(2, '0');
  return `${hryvnias}.${decimals}`;
}

export function mapTariffs(partnerId: string, payload: TariffsPayload): Tariff[] {
  return payload.tariffs.map((t) => ({
    id: t.code,
    partnerId,
    service: 'ELECTRICITY',
    name: t.title,
    validFrom: t.effectiveFrom,
    validTo: t.effectiveTo,
    components: t.rates.map((r) => ({
      kind: 'ELECTRICITY',
      name: r.label,
      price: { amount: kopiykyToHryvnias(r.priceKopPerKwh), currency: 'UAH', unit: 'KWH' },
      zone: { name: ZONE[r.zone], hours: r.hours },
    })),
  }));
}

function bill(i: MeteringPointPayload['invoices'][number]): Bill {
  return {
    period: i.billingMonth.slice(0, 7),
    openingBalance: uah(i.openingBalanceKop),
    accrued: uah(i.chargedKop),
    paid: uah(i.paidKop),
    toPay: uah(i.closingBalanceKop),
    consumption: i.consumptionKwh,
    unit: i.consumptionKwh === null ? null : 'KWH',
  };
}

function byDateThenZone(a: MeterReading, b: MeterReading): number {
  return b.takenOn.localeCompare(a.takenOn) || ZONE_ORDER.indexOf(a.zone!) - ZONE_ORDER.indexOf(b.zone!);
}

export function mapMeteringPoint(partnerId: string, p: MeteringPointPayload, tariffs: readonly Tariff[], source: Provenance): ElectricityAccount {
  if (checkEic(p.eic)) throw new PartnerBadResponseError(partnerId, 'a metering point has an EIC that fails its check');
  const tariff = tariffs.find((t) => t.id === p.tariffCode);
  if (!tariff) throw new PartnerBadResponseError(partnerId, 'a metering point refers to a tariff the partner does not list');
  const readings: MeterReading[] = p.readings.map((r) => ({
    meterNumber: p.meter.serialNumber,
    takenOn: r.readingDate,
    value: r.valueKwh,
    unit: 'KWH',
    zone: ZONE[r.zone],
    estimated: r.origin === 'ESTIMATED',
  }));
  return {
    service: 'ELECTRICITY',
    partnerId,
    accountNumber: p.personalAccount,
    eic: p.eic,
    zoneScheme: SCHEME[p.zoneCount],
    address: p.supplyAddress.trim(),
    status: STATUS[p.state],
    balance: uah(p.balanceKop),
    tariff,
    readings: readings.sort(byDateThenZone),
    bills: p.invoices.map(bill).sort((a, b) => b.period.localeCompare(a.period)),
    source,
  };
}
