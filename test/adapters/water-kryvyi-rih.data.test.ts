import { parseDecimalToMinorUnits } from '../../domain/money.js';
import { createPopulation } from '../../emulators/population/index.js';
import { waterAccountsFor, type WaterAccountDto } from '../../emulators/water-kryvyi-rih/data.js';

const kop = (text: string) => parseDecimalToMinorUnits(text)!;
const share = (part: number, whole: number) => part / whole;

describe('water-kryvyi-rih emulator data', () => {
  const population = createPopulation({ size: 3000, asOf: '2026-11-01' });
  const owners = population.citizens.map((c) => waterAccountsFor(population, c.taxId)).filter((a): a is WaterAccountDto[] => a !== undefined);
  const accounts = owners.flat();

  it('is the same for the same seed and reference month', () => {
    const again = createPopulation({ size: 3000, asOf: '2026-11-01' });
    expect(waterAccountsFor(again, '3111901220')).toEqual(waterAccountsFor(population, '3111901220'));
    expect(waterAccountsFor(again, population.citizens[1234].taxId)).toEqual(waterAccountsFor(population, population.citizens[1234].taxId));
  });

  it('has believable shares of customers, debts, credits, disconnections and second accounts', () => {
    const newest = (a: WaterAccountDto) => a.bills[a.bills.length - 1];
    const accrued = (a: WaterAccountDto) => newest(a).charges.reduce((s, c) => s + kop(c.amount), 0);
    expect(share(owners.length, population.citizens.length)).toBeGreaterThan(0.93);
    expect(share(owners.length, population.citizens.length)).toBeLessThan(0.97);
    expect(share(accounts.filter((a) => kop(a.balance) > accrued(a)).length, accounts.length)).toBeGreaterThan(0.25);
    expect(share(accounts.filter((a) => kop(a.balance) > accrued(a)).length, accounts.length)).toBeLessThan(0.38);
    expect(share(accounts.filter((a) => kop(a.balance) < 0).length, accounts.length)).toBeGreaterThan(0.1);
    expect(share(accounts.filter((a) => kop(a.balance) < 0).length, accounts.length)).toBeLessThan(0.2);
    expect(share(accounts.filter((a) => a.status === 'disconnected').length, accounts.length)).toBeGreaterThan(0.01);
    expect(share(accounts.filter((a) => a.status === 'disconnected').length, accounts.length)).toBeLessThan(0.06);
    expect(share(owners.filter((o) => o.length > 1).length, owners.length)).toBeGreaterThan(0.12);
    expect(share(owners.filter((o) => o.length > 1).length, owners.length)).toBeLessThan(0.25);
  });

  it('gives unique 9-digit account numbers and bills that add up month to month', () => {
    const problems: string[] = [];
    for (const a of accounts) {
      if (!/^\d{9}$/.test(a.account_number)) problems.push(`${a.account_number}: not 9 digits`);
      a.bills.forEach((b, i) => {
        const accrued = b.charges.reduce((s, c) => s + kop(c.amount), 0);
        if (kop(b.closing_balance) !== kop(b.opening_balance) + accrued - kop(b.paid)) problems.push(`${a.account_number} ${b.period_start}: does not add up`);
        if (i > 0 && b.opening_balance !== a.bills[i - 1].closing_balance) problems.push(`${a.account_number} ${b.period_start}: opens off`);
      });
      if (a.balance !== a.bills[a.bills.length - 1].closing_balance) problems.push(`${a.account_number}: balance is not the last toPay`);
    }
    expect(problems).toEqual([]);
    expect(new Set(accounts.map((a) => a.account_number)).size).toBe(accounts.length);
  });
});
