import type { AccountStatus, GasAccount, Provenance, Tariff, TariffComponentKind } from '../../domain/model.js';
import { uah } from '../../domain/money.js';
import type { AccountRecord, AccountRow, TariffComponentRow } from './payload.js';

/** The 1C export's rows → the domain model. Throws plain errors; the caller makes them PARTNER_BAD_RESPONSE. */

const KINDS: Record<TariffComponentRow['kind'], TariffComponentKind> = {
  постачання: 'GAS_SUPPLY',
  розподіл: 'GAS_DISTRIBUTION',
};

const STATUSES: Record<AccountRow['status'], AccountStatus> = {
  діючий: 'ACTIVE',
  відключений: 'DISCONNECTED',
  закритий: 'CLOSED',
};

/** The catalogue has one row per price component; rows of one code make one tariff, in the partner's order. */
export function mapTariffs(partnerId: string, rows: readonly TariffComponentRow[]): Tariff[] {
  const byCode = new Map<string, Tariff>();
  for (const row of rows) {
    let tariff = byCode.get(row.code);
    if (!tariff) {
      tariff = { id: row.code, partnerId, service: 'GAS', name: row.name, validFrom: row.validFrom, validTo: row.validTo, components: [] };
      byCode.set(row.code, tariff);
    } else if (tariff.name !== row.name || tariff.validFrom !== row.validFrom || tariff.validTo !== row.validTo) {
      throw new Error('the rows of one tariff code disagree on its name or validity');
    }
    tariff.components.push({ kind: KINDS[row.kind], name: row.componentName, price: { amount: row.price, currency: 'UAH', unit: 'M3' }, zone: null });
  }
  return [...byCode.values()];
}

export function mapAccount({ account, bills, readings }: AccountRecord, tariffs: readonly Tariff[], source: Provenance): GasAccount {
  const tariff = tariffs.find((t) => t.id === account.tariffCode);
  if (!tariff) throw new Error('the account refers to a tariff the partner does not list');
  return {
    service: 'GAS',
    partnerId: source.partnerId,
    accountNumber: account.accountNumber,
    eic: account.eic,
    meterNumber: account.meterNumber,
    annualConsumptionM3: account.annualM3,
    address: account.address.replace(/\s+/g, ' '),
    status: STATUSES[account.status],
    balance: uah(account.balance),
    tariff,
    readings: [...readings]
      .sort((a, b) => b.takenOn.localeCompare(a.takenOn))
      .map((r) => ({ meterNumber: account.meterNumber, takenOn: r.takenOn, value: r.value, unit: 'M3', zone: null, estimated: r.estimated })),
    bills: [...bills]
      .sort((a, b) => b.period.localeCompare(a.period))
      .map((b) => ({
        period: b.period,
        openingBalance: uah(b.opening),
        accrued: uah(b.accrued),
        paid: uah(b.paid),
        toPay: uah(b.toPay),
        consumption: b.consumptionM3,
        unit: 'M3',
      })),
    source,
  };
}
