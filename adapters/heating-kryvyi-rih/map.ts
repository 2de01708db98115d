import type { AccountStatus, HeatingAccount, Provenance, Tariff } from '../../domain/model.js';
import { calendarDate, exactDecimal, uahAmount } from '../core/parse.js';
import type { AccountDto, TariffDto } from './payload.js';

/** The legacy billing dialect → the domain model. Throws plain errors; the caller makes them PARTNER_BAD_RESPONSE. */

const STATUSES: Record<AccountDto['KodStanu'], AccountStatus> = { 1: 'ACTIVE', 2: 'DISCONNECTED', 3: 'CLOSED' };
const BASES = { LICH: 'METER', PLOSH: 'AREA' } as const;
const BILL_UNITS = { Гкал: 'GCAL', м2: 'M2' } as const;

/** dd.mm.yyyy → YYYY-MM-DD, refusing dates that do not exist (31.02.2026). */
export function isoDate(legacy: string): string {
  const [d, m, y] = legacy.split('.').map(Number);
  return calendarDate(y, m, d);
}

const money = uahAmount;
const decimal = exactDecimal;

export function mapTariff(partnerId: string, dto: TariffDto): Tariff {
  return {
    id: dto.Kod,
    partnerId,
    service: 'HEATING',
    name: dto.Nazva,
    validFrom: isoDate(dto.DiieZ),
    validTo: dto.DiieDo ? isoDate(dto.DiieDo) : null,
    components: dto.Skladovi.map((c) => ({
      kind: c.Vyd,
      name: c.Nazva,
      price: { amount: decimal(c.Tsina), currency: 'UAH', unit: c.Odynytsia },
      zone: null,
    })),
  };
}

export function formatAddress(a: AccountDto['Adresa']): string {
  return `${a.Indeks}, ${a.NasPunkt}, ${a.Vulytsia}, буд. ${a.Budynok}${a.Kvartyra ? `, кв. ${a.Kvartyra}` : ''}`;
}

export function mapAccount(dto: AccountDto, tariffs: ReadonlyMap<string, Tariff>, source: Provenance): HeatingAccount {
  const tariff = tariffs.get(dto.KodTaryfu);
  if (!tariff) throw new Error('the account refers to a tariff the partner does not list');
  const meterNumber = dto.Lichylnyk?.ZavNomer;
  if (dto.Pokaznyky.length > 0 && !meterNumber) throw new Error('readings without a meter');
  return {
    service: 'HEATING',
    partnerId: source.partnerId,
    accountNumber: dto.OsRakhunok,
    address: formatAddress(dto.Adresa),
    status: STATUSES[dto.KodStanu],
    billingBasis: BASES[dto.SposibObliku],
    heatedAreaM2: Number(decimal(dto.OpalPloshcha)),
    balance: money(dto.Saldo),
    tariff,
    readings: dto.Pokaznyky
      .map((r) => ({
        meterNumber: meterNumber as string,
        takenOn: isoDate(r.DataZniattia),
        value: Number(decimal(r.Znachennia)),
        unit: 'GCAL' as const,
        zone: null,
        estimated: r.Otsinochnyi === '1',
      }))
      .sort((a, b) => b.takenOn.localeCompare(a.takenOn)),
    bills: dto.Narakhuvannia
      .map((b) => ({
        period: isoDate(b.Period).slice(0, 7),
        openingBalance: money(b.SaldoPoch),
        accrued: money(b.Narakhovano),
        paid: money(b.Oplacheno),
        toPay: money(b.DoSplaty),
        consumption: Number(decimal(b.Obsiah)),
        unit: BILL_UNITS[b.Odynytsia],
      }))
      .sort((a, b) => b.period.localeCompare(a.period)),
    source,
  };
}
