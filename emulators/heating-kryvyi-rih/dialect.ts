import type { HeatAccountRecord } from './data.js';
import { commaMoney, commaQuantity, legacyDate } from './soap.js';
import { HEAT_TARIFFS } from './tariffs.js';

/** The legacy billing system's element names and codes (transliterated Ukrainian). */

const STATUS_CODE = { ACTIVE: '1', DISCONNECTED: '2', CLOSED: '3' } as const;
const BASIS_CODE = { METER: 'LICH', AREA: 'PLOSH' } as const;

export function findAccountsResult(accounts: readonly HeatAccountRecord[]): unknown {
  // ArrayOfString, as the .NET service serialises a list of account numbers.
  return accounts.length ? { string: accounts.map((a) => a.accountNumber) } : '';
}

export function accountResult(a: HeatAccountRecord): unknown {
  const unitName = a.basis === 'METER' ? 'Гкал' : 'м2';
  return {
    OsRakhunok: a.accountNumber,
    Adresa: {
      Indeks: a.address.postcode,
      NasPunkt: `м. ${a.address.city}`,
      Vulytsia: a.address.street,
      Budynok: a.address.house,
      // A private house has no flat: the element is left out.
      ...(a.address.apartment === null ? {} : { Kvartyra: String(a.address.apartment) }),
    },
    KodStanu: STATUS_CODE[a.status],
    SposibObliku: BASIS_CODE[a.basis],
    OpalPloshcha: commaQuantity(a.areaCenti * 10, 2),
    KodTaryfu: a.tariffCode,
    Saldo: commaMoney(a.balanceKop),
    ...(a.meterNumber === null ? {} : { Lichylnyk: { ZavNomer: a.meterNumber, Typ: 'SKS-3' } }),
    Narakhuvannia: {
      Misiats: a.bills.map((b) => ({
        Period: legacyDate(b.period),
        SaldoPoch: commaMoney(b.openingKop),
        Narakhovano: commaMoney(b.accruedKop),
        Oplacheno: commaMoney(b.paidKop),
        DoSplaty: commaMoney(b.toPayKop),
        Obsiah: commaQuantity(b.quantityMilli, a.basis === 'METER' ? 3 : 2),
        Odynytsia: unitName,
      })),
    },
    ...(a.basis === 'METER'
      ? {
        Pokaznyky: {
          Pokaznyk: a.readings.map((r) => ({
            DataZniattia: legacyDate(r.takenOn),
            Znachennia: commaQuantity(r.gcalMilli, 3),
            Otsinochnyi: r.estimated ? '1' : '0',
          })),
        },
      }
      : {}),
  };
}

export function tariffsResult(): unknown {
  return {
    Taryf: HEAT_TARIFFS.map((t) => ({
      Kod: t.code,
      Nazva: t.name,
      DiieZ: legacyDate(t.validFrom),
      DiieDo: t.validTo ? legacyDate(t.validTo) : '',
      Skladovi: {
        Skladova: t.components.map((c) => ({ Vyd: c.kind, Nazva: c.name, Tsina: commaMoney(c.priceKop), Odynytsia: c.unit })),
      },
    })),
  };
}
