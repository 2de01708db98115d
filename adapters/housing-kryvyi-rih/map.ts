import type { AccountStatus, HousingAccount, Provenance, Tariff, TariffComponentKind } from '../../domain/model.js';
import { calendarDate, exactDecimal, uahAmount } from '../core/parse.js';
import type { AccountDto, TariffDto } from './payload.js';

/** The export's dialect → the domain model. Throws plain errors; the caller makes them PARTNER_BAD_RESPONSE. */

const STATUSES: Record<AccountDto['STAN'], AccountStatus> = { 1: 'ACTIVE', 0: 'CLOSED' };
const COMPONENTS: Record<TariffDto['skladova'][number]['@VYD'], TariffComponentKind> = { UTR: 'HOUSE_MAINTENANCE', LIFT: 'LIFT_MAINTENANCE' };

/** YYYYMMDD → YYYY-MM-DD, refusing dates that do not exist (20260231). */
export function isoDate(exported: string): string {
  const [y, m, d] = [exported.slice(0, 4), exported.slice(4, 6), exported.slice(6, 8)].map(Number);
  return calendarDate(y, m, d);
}

const money = uahAmount;
const decimal = exactDecimal;

export function mapTariff(partnerId: string, dto: TariffDto): Tariff {
  return {
    id: dto['@KOD'],
    partnerId,
    service: 'HOUSING',
    name: dto.NAZVA,
    validFrom: isoDate(dto['@DIIE_Z']),
    validTo: dto['@DIIE_PO'] ? isoDate(dto['@DIIE_PO']) : null,
    components: dto.skladova.map((c) => ({
      kind: COMPONENTS[c['@VYD']],
      name: c['@NAZVA'],
      price: { amount: decimal(c['@TSINA']), currency: 'UAH', unit: 'M2' },
      zone: null,
    })),
  };
}

export function mapAccount(dto: AccountDto, tariffs: ReadonlyMap<string, Tariff>, source: Provenance): HousingAccount {
  const tariff = tariffs.get(dto.TARYF);
  if (!tariff) throw new Error('the account refers to a tariff the partner does not list');
  return {
    service: 'HOUSING',
    partnerId: source.partnerId,
    accountNumber: dto.OS_RAH,
    address: `${dto.INDEKS}, м. ${dto.MISTO}, ${dto.VULYTSIA}, буд. ${dto.BUDYNOK}, кв. ${dto.KVARTYRA}`,
    status: STATUSES[dto.STAN],
    areaM2: Number(decimal(dto.PLOSHCHA)),
    hasLift: dto.LIFT === '1',
    balance: money(dto.SALDO),
    tariff,
    // No meters: the charge follows the area.
    readings: [],
    bills: (dto.narakhuvannia?.misiats ?? [])
      .map((b) => ({
        period: `${b['@PERIOD'].slice(0, 4)}-${b['@PERIOD'].slice(4)}`,
        openingBalance: money(b['@SALDO_POCH']),
        accrued: money(b['@NARAKH']),
        paid: money(b['@OPLATA']),
        toPay: money(b['@DO_SPLATY']),
        consumption: Number(decimal(b['@PLOSHCHA'])),
        unit: 'M2' as const,
      }))
      .sort((a, b) => b.period.localeCompare(a.period)),
    source,
  };
}
