import { checkEic } from '../../domain/identifiers.js';
import { createPopulation } from '../../emulators/population/index.js';
import { meteringPointsFor, type MeteringPointDto } from '../../emulators/electricity-kryvyi-rih/data.js';

const share = (part: number, whole: number) => part / whole;

describe('electricity-kryvyi-rih emulator data', () => {
  const population = createPopulation({ size: 3000, asOf: '2026-11-01' });
  const customers = population.citizens.map((c) => meteringPointsFor(population, c.taxId)).filter((p): p is MeteringPointDto[] => p !== undefined);
  const points = customers.flat();

  it('is the same for the same seed and reference month', () => {
    const again = createPopulation({ size: 3000, asOf: '2026-11-01' });
    expect(meteringPointsFor(again, '2660404572')).toEqual(meteringPointsFor(population, '2660404572'));
    expect(meteringPointsFor(again, population.citizens[2345].taxId)).toEqual(meteringPointsFor(population, population.citizens[2345].taxId));
  });

  it('has believable shares of customers, debts, credits, disconnections and zone schemes', () => {
    const within = (count: number, low: number, high: number) => {
      const s = share(count, points.length);
      return s > low && s < high;
    };
    expect(share(customers.length, population.citizens.length)).toBeGreaterThan(0.95);
    expect(share(customers.length, population.citizens.length)).toBeLessThan(0.99);
    expect({
      debts: within(points.filter((p) => p.balanceKop > p.invoices[0].chargedKop).length, 0.25, 0.38),
      credits: within(points.filter((p) => p.balanceKop < 0).length, 0.1, 0.2),
      disconnected: within(points.filter((p) => p.state === 'DISCONNECTED').length, 0.01, 0.06),
      twoZone: within(points.filter((p) => p.zoneCount === 2).length, 0.18, 0.32),
      threeZone: within(points.filter((p) => p.zoneCount === 3).length, 0.02, 0.09),
    }).toEqual({ debts: true, credits: true, disconnected: true, twoZone: true, threeZone: true });
  });

  it('gives valid unique EICs, unique 10-digit accounts and invoices that add up month to month', () => {
    const problems: string[] = [];
    for (const p of points) {
      if (!p.eic.startsWith('62Z') || checkEic(p.eic)) problems.push(`${p.eic}: not a valid metering point EIC`);
      if (!/^\d{10}$/.test(p.personalAccount)) problems.push(`${p.personalAccount}: not 10 digits`);
      p.invoices.forEach((i, k) => {
        if (i.closingBalanceKop !== i.openingBalanceKop + i.chargedKop - i.paidKop) problems.push(`${p.eic} ${i.billingMonth}: does not add up`);
        const older = p.invoices[k + 1];
        if (older && i.openingBalanceKop !== older.closingBalanceKop) problems.push(`${p.eic} ${i.billingMonth}: opens off`);
      });
      if (p.balanceKop !== p.invoices[0].closingBalanceKop) problems.push(`${p.eic}: balance is not the last closing balance`);
      if (p.readings.length !== 12 * p.zoneCount) problems.push(`${p.eic}: not twelve readings per zone`);
    }
    expect(problems).toEqual([]);
    expect(new Set(points.map((p) => p.eic)).size).toBe(points.length);
    expect(new Set(points.map((p) => p.personalAccount)).size).toBe(points.length);
  });
});
