import { targetValue, type TargetDefinition } from './target-value';

const growth = (
  baseValue: number,
  annualGrowth: number,
  basePeriod = '2023',
): TargetDefinition => ({
  indicator: 'retail_sales',
  divisionCode: '370982000000',
  period: '2025',
  value: null,
  growth: { baseValue, basePeriod, annualGrowth },
});

describe('targetValue', () => {
  it('compounds a growth path by whole years and rounds money to whole fen', () => {
    // 125,440,000,000 × 1.12² in floating point is 157,351,936,000.00006.
    expect(targetValue(growth(125_440_000_000, 0.12), 'fen')).toBe(157_351_936_000);
    expect(Number.isInteger(targetValue(growth(12_345_678_901, 0.0731), 'fen'))).toBe(true);
    // Halves round up: 1 fen growing 50 % for one year is 1.5 fen → 2.
    expect(targetValue(growth(1, 0.5, '2024'), 'fen')).toBe(2);
    expect(targetValue(growth(1000, 0.05), 'count')).toBe(1103);
  });

  it('keeps the fraction of hours and ratios, and gives a fixed value as set', () => {
    expect(targetValue(growth(10, 0.05), 'hours')).toBeCloseTo(11.025, 10);
    expect(targetValue({ ...growth(0, 0), value: 0.85, growth: null }, 'ratio')).toBe(0.85);
    expect(targetValue({ ...growth(0, 0), value: 500, growth: null }, 'fen')).toBe(500);
  });
});
