import { nearestRankPercentile } from './percentile';

describe('nearestRankPercentile', () => {
  const of = (values: number[]) => values.map((value) => ({ value, count: 1 }));

  it('takes the value at rank ⌈q·N⌉', () => {
    expect(nearestRankPercentile(of([60, 120, 180, 240]), 0.5)).toBe(120);
    expect(nearestRankPercentile(of([60, 120, 180, 240, 300]), 0.5)).toBe(180);
    expect(nearestRankPercentile(of([60, 120, 180, 240, 300, 360, 420, 480, 540, 600]), 0.9)).toBe(
      540,
    );
  });

  it('counts repeated values and answers null when empty', () => {
    expect(
      nearestRankPercentile(
        [
          { value: 10, count: 9 },
          { value: 99, count: 1 },
        ],
        0.9,
      ),
    ).toBe(10);
    expect(nearestRankPercentile([], 0.5)).toBeNull();
  });
});
