import { isDeepStrictEqual } from 'node:util';
import { checkEic } from '../../domain/identifiers.js';
import type { Tariff, UtilityService } from '../../domain/model.js';
import { AccountStatus, QuantityUnit, TariffComponentKind, ZoneName } from '../../domain/generated/api.js';
import {
  expectLiveSource, isCount, isDecimalString, isIsoDate, isIsoMonth, isMoney, isNonEmptyString, isOneOf, isQuantity, isRecord,
  type Problems,
} from './validate.js';

/** The contract's utility accounts and tariffs (domain/model.ts), checked field by field. */

/** The schema's closed sets (domain/generated/api.ts, generated from the SDL). */
const UNITS: readonly string[] = Object.values(QuantityUnit);
const ZONES: readonly string[] = Object.values(ZoneName);
const STATUSES: readonly string[] = Object.values(AccountStatus);
const KINDS: readonly string[] = Object.values(TariffComponentKind);

export function validateTariff(problems: Problems, tariff: unknown, partnerId: string, service: UtilityService, where: string): void {
  if (!isRecord(tariff)) return problems.expect(false, 'shape', where, 'is not an object');
  problems.expect(isNonEmptyString(tariff.id) && isNonEmptyString(tariff.name), 'shape', where, 'id or name is empty');
  problems.expect(tariff.partnerId === partnerId, 'source', where, 'partnerId is not the partner under check');
  problems.expect(tariff.service === service, 'shape', where, `service is not ${service}`);
  problems.expect(isIsoDate(tariff.validFrom), 'dates', where, 'validFrom is not an ISO date');
  problems.expect(tariff.validTo === null || isIsoDate(tariff.validTo), 'dates', where, 'validTo is neither null nor an ISO date');
  if (!Array.isArray(tariff.components)) return problems.expect(false, 'shape', where, 'components is not a list');
  tariff.components.forEach((component: unknown, i) => {
    const at = `${where}, components[${i}]`;
    if (!isRecord(component) || !isRecord(component.price)) return problems.expect(false, 'shape', at, 'is not a component with a price');
    const { price, zone } = component;
    problems.expect(isOneOf(component.kind, KINDS) && isNonEmptyString(component.name), 'shape', at, 'kind is not a known kind, or name is empty');
    problems.expect(isDecimalString(price.amount), 'money', at, 'price.amount is not a decimal string');
    problems.expect(price.currency === 'UAH', 'money', at, 'price.currency is not UAH');
    problems.expect(isOneOf(price.unit, UNITS), 'shape', at, 'price.unit is not a known unit');
    const zoneOk = zone === null || (isRecord(zone) && isOneOf(zone.name, ZONES) && Array.isArray(zone.hours)
      && zone.hours.every((h: unknown) => typeof h === 'string' && /^\d{2}:\d{2}-\d{2}:\d{2}$/.test(h)));
    problems.expect(zoneOk, 'shape', at, 'zone is neither null nor a known zone with HH:MM-HH:MM hours');
  });
}

export interface AccountContext {
  partnerId: string;
  service: UtilityService;
  /** What tariffs() returned, or null when it failed (then tariffs are not compared). */
  tariffs: readonly Tariff[] | null;
}

function validateBills(problems: Problems, bills: unknown[], balance: unknown, where: string): void {
  bills.forEach((bill: unknown, i) => {
    const at = `${where}, bills[${i}]`;
    if (!isRecord(bill)) return problems.expect(false, 'shape', at, 'is not an object');
    problems.expect(isIsoMonth(bill.period), 'dates', at, 'period is not YYYY-MM');
    const amounts = [bill.openingBalance, bill.accrued, bill.paid, bill.toPay];
    const allMoney = amounts.every(isMoney);
    problems.expect(allMoney, 'money', at, 'an amount is not integer minor units in UAH');
    if (allMoney) {
      const [opening, accrued, paid, toPay] = amounts.map((m) => (m as { minorUnits: number }).minorUnits);
      problems.expect(toPay === opening + accrued - paid, 'bills', at, 'toPay is not openingBalance + accrued − paid');
    }
    problems.expect(bill.consumption === null || isQuantity(bill.consumption), 'shape', at, 'consumption is neither null nor a number ≥ 0');
    problems.expect(bill.unit === null || isOneOf(bill.unit, UNITS), 'shape', at, 'unit is neither null nor a known unit');
    if (i > 0 && isRecord(bills[i - 1])) {
      problems.expect(String((bills[i - 1] as { period: unknown }).period) > String(bill.period), 'bills', at, 'bills are not newest first');
    }
  });
  const newest = bills[0];
  if (isRecord(newest) && isMoney(newest.toPay) && isMoney(balance)) {
    problems.expect(balance.minorUnits === newest.toPay.minorUnits, 'bills', where, "balance is not the newest bill's toPay");
  }
}

export function validateAccount(problems: Problems, account: unknown, context: AccountContext, where: string): void {
  if (!isRecord(account)) return problems.expect(false, 'shape', where, 'is not an object');
  const { partnerId, service } = context;
  problems.expect(account.partnerId === partnerId, 'source', where, 'partnerId is not the partner under check');
  problems.expect(account.service === service, 'shape', where, `service is not ${service}`);
  problems.expect(isNonEmptyString(account.accountNumber), 'identifiers', where, 'accountNumber is empty');
  problems.expect(isNonEmptyString(account.address), 'shape', where, 'address is empty');
  problems.expect(isOneOf(account.status, STATUSES), 'shape', where, 'status is not ACTIVE, DISCONNECTED or CLOSED');
  problems.expect(isMoney(account.balance), 'money', where, 'balance is not integer minor units in UAH');
  if (service === 'GAS' || service === 'ELECTRICITY') {
    const problem = typeof account.eic === 'string' ? checkEic(account.eic) : 'is missing';
    problems.expect(problem === null, 'identifiers', where, `EIC ${problem}`);
  }
  if (service === 'GAS') problems.expect(isQuantity(account.annualConsumptionM3), 'shape', where, 'annualConsumptionM3 is not a number ≥ 0');
  if (service === 'WATER') problems.expect(isCount(account.residents), 'shape', where, 'residents is not a whole number ≥ 0');
  if (service === 'HEATING') problems.expect(isQuantity(account.heatedAreaM2), 'shape', where, 'heatedAreaM2 is not a number ≥ 0');
  if (service === 'HOUSING') {
    problems.expect(isQuantity(account.areaM2), 'shape', where, 'areaM2 is not a number ≥ 0');
    problems.expect(typeof account.hasLift === 'boolean', 'shape', where, 'hasLift is not true or false');
  }
  expectLiveSource(problems, account.source, partnerId, where);

  validateTariff(problems, account.tariff, partnerId, service, `${where}, tariff`);
  if (context.tariffs) {
    const id = isRecord(account.tariff) ? account.tariff.id : undefined;
    const sameId = context.tariffs.filter((t) => t.id === id);
    problems.expect(sameId.length > 0, 'tariff', where, 'the tariff is not one of those tariffs() returns');
    problems.expect(sameId.length === 0 || sameId.some((t) => isDeepStrictEqual(t, account.tariff)), 'tariff', where,
      'the tariff differs from the one tariffs() returns under its id');
  }

  if (!Array.isArray(account.readings)) problems.expect(false, 'shape', where, 'readings is not a list');
  else {
    account.readings.forEach((reading: unknown, i) => {
      const at = `${where}, readings[${i}]`;
      if (!isRecord(reading)) return problems.expect(false, 'shape', at, 'is not an object');
      problems.expect(isIsoDate(reading.takenOn), 'dates', at, 'takenOn is not an ISO date');
      problems.expect(typeof reading.value === 'number' && Number.isFinite(reading.value), 'shape', at, 'value is not a finite number');
      problems.expect(isOneOf(reading.unit, UNITS), 'shape', at, 'unit is not a known unit');
      problems.expect(reading.zone === null || isOneOf(reading.zone, ZONES), 'shape', at, 'zone is neither null nor a known zone');
      problems.expect(typeof reading.estimated === 'boolean', 'shape', at, 'estimated is not a boolean');
    });
  }
  if (!Array.isArray(account.bills)) problems.expect(false, 'shape', where, 'bills is not a list');
  else validateBills(problems, account.bills, account.balance, where);
}

/** Values of an account that must never reach a log line. */
export function accountPersonalValues(account: unknown): string[] {
  if (!isRecord(account)) return [];
  const readings = Array.isArray(account.readings) ? account.readings : [];
  const meters = readings.map((r: unknown) => (isRecord(r) ? r.meterNumber : undefined));
  return [account.accountNumber, account.address, account.eic, account.meterNumber, ...meters].filter((v): v is string => typeof v === 'string');
}
