import { scheduleAmounts } from './tranche-schedule';

describe('tranche schedules', () => {
  it('turns 30 / 30 / 40 % of ¥6,000,000 into exact fen', () => {
    const result = scheduleAmounts(600_000_000, [
      { percent: 30 },
      { percent: 30 },
      { percent: 40 },
    ]);
    expect(result).toEqual({
      ok: true,
      amounts: [
        { amountFen: 180_000_000, percentBasisPoints: 3000 },
        { amountFen: 180_000_000, percentBasisPoints: 3000 },
        { amountFen: 240_000_000, percentBasisPoints: 4000 },
      ],
    });
  });

  it('gives the fen lost to rounding to the last percentage tranche', () => {
    const result = scheduleAmounts(100, [
      { percent: 33.33 },
      { percent: 33.33 },
      { percent: 33.34 },
    ]);
    expect(result.ok && result.amounts.map((a) => a.amountFen)).toEqual([33, 33, 34]);
    const odd = scheduleAmounts(101, [{ percent: 50 }, { percent: 50 }]);
    expect(odd.ok && odd.amounts.map((a) => a.amountFen)).toEqual([50, 51]);
  });

  it('mixes amounts and percentages that add up exactly', () => {
    const result = scheduleAmounts(100_000_000, [{ amountFen: 30_000_000 }, { percent: 70 }]);
    expect(result.ok && result.amounts.map((a) => a.amountFen)).toEqual([30_000_000, 70_000_000]);
  });

  it('refuses a schedule that does not sum to the contract amount, with the figures', () => {
    const result = scheduleAmounts(600_000_000, [
      { percent: 30 },
      { percent: 30 },
      { percent: 30 },
    ]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0].message).toMatch(
      /add up to ¥5,400,000.00 .* contract amount is ¥6,000,000.00/,
    );
    const amounts = scheduleAmounts(100, [{ amountFen: 60 }, { amountFen: 41 }]);
    expect(!amounts.ok && amounts.problems[0].path).toBe('tranches');
  });

  it('refuses a tranche with both or neither of percent and amount, or three decimals', () => {
    const both = scheduleAmounts(100, [{ percent: 100, amountFen: 100 }]);
    expect(!both.ok && both.problems[0]).toEqual({
      path: 'tranches[0]',
      message: 'give exactly one of percent and amountFen',
    });
    const decimals = scheduleAmounts(100, [{ percent: 99.999 }, { percent: 0.001 }]);
    expect(!decimals.ok && decimals.problems.map((p) => p.path)).toEqual([
      'tranches[0].percent',
      'tranches[1].percent',
    ]);
    expect(scheduleAmounts(100, []).ok).toBe(false);
  });
});
