import type { AccountStatus, GasAccount, Provenance, Tariff, TariffComponentKind } from '../../domain/model.js';
import { normalizeDecimal, uah } from '../../domain/money.js';
import type { AccountDto, TariffDto } from './payload.js';

/** The gas distributor's dialect → the domain model. Throws plain errors; the caller makes them PARTNER_BAD_RESPONSE. */

const KINDS: Record<TariffDto['components'][number]['kind'], TariffComponentKind> = {
  supply: 'GAS_SUPPLY',
  distribution: 'GAS_DISTRIBUTION',
};

const STATUSES: Record<AccountDto['status'], AccountStatus> = {
  active: 'ACTIVE',
  disconnected: 'DISCONNECTED',
  closed: 'CLOSED',
};

export function mapTariff(partnerId: string, dto: TariffDto): Tariff {
  return {
    id: dto.id,
    partnerId,
    service: 'GAS',
    name: dto.name,
    validFrom: dto.validFrom,
    validTo: dto.validTo,
    components: dto.components.map((c) => {
      const amount = normalizeDecimal(c.pricePerUnit);
      if (amount === null) throw new Error('a tariff price is not a decimal');
      return { kind: KINDS[c.kind], name: c.name, price: { amount, currency: 'UAH', unit: 'M3' }, zone: null };
    }),
  };
}

export function formatAddress(a: AccountDto['address']): string {
  return `${a.postcode}, м. ${a.city}, ${a.street}, буд. ${a.house}${a.apartment ? `, кв. ${a.apartment}` : ''}`;
}

export function mapAccount(dto: AccountDto, tariffs: ReadonlyMap<string, Tariff>, source: Provenance): GasAccount {
  const tariff = tariffs.get(dto.tariffId);
  if (!tariff) throw new Error('the account refers to a tariff the partner does not list');
  return {
    service: 'GAS',
    partnerId: source.partnerId,
    accountNumber: dto.accountNumber,
    eic: dto.eic,
    meterNumber: dto.meterNumber,
    annualConsumptionM3: dto.annualConsumptionM3,
    address: formatAddress(dto.address),
    status: STATUSES[dto.status],
    balance: uah(dto.balanceKop),
    tariff,
    readings: [...dto.readings]
      .sort((a, b) => b.takenOn.localeCompare(a.takenOn))
      .map((r) => ({ meterNumber: dto.meterNumber, takenOn: r.takenOn, value: r.valueM3, unit: 'M3', zone: null, estimated: r.estimated })),
    bills: [...dto.bills]
      .sort((a, b) => b.period.localeCompare(a.period))
      .map((b) => ({
        period: b.period,
        openingBalance: uah(b.openingBalanceKop),
        accrued: uah(b.accruedKop),
        paid: uah(b.paidKop),
        toPay: uah(b.toPayKop),
        consumption: b.consumptionM3,
        unit: 'M3',
      })),
    source,
  };
}
