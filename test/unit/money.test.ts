import { formatMinorUnits, parseDecimalToMinorUnits } from '../../domain/money.js';

describe('money in kopiyky', () => {
  it('reads and prints amounts beyond 32 bits exactly, both ways', () => {
    const amounts = ['21474836.48', '32500000.00', '-855.00', '0.05', '90071992547409.91'];
    expect(amounts.map((a) => parseDecimalToMinorUnits(a))).toEqual([2_147_483_648, 3_250_000_000, -85_500, 5, 9_007_199_254_740_991]);
    expect(amounts.map((a) => formatMinorUnits(parseDecimalToMinorUnits(a)!))).toEqual(amounts);
    expect(parseDecimalToMinorUnits('1 234,5')).toBe(123_450);
  });

  it('refuses what it cannot hold exactly instead of rounding it', () => {
    expect(parseDecimalToMinorUnits('90071992547409.92')).toBeNull();
    expect(parseDecimalToMinorUnits('1e3')).toBeNull();
    expect(() => formatMinorUnits(0.5)).toThrow(new TypeError('minor units must be a safe integer, got 0.5'));
  });
});
