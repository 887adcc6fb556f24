import { attributeToSources, transfer, unbalancedReason } from './journal';

describe('journal entries', () => {
  it('accepts a balanced two-line transfer of the entry amount', () => {
    expect(unbalancedReason(transfer('a', 'b', 180_000_000), 180_000_000)).toBeNull();
  });

  it('refuses unbalanced, two-sided, negative or fractional lines', () => {
    expect(
      unbalancedReason(
        [
          { account: 'a', debitFen: 100, creditFen: 0 },
          { account: 'b', debitFen: 0, creditFen: 99 },
        ],
        100,
      ),
    ).toBe('debits 100 ≠ credits 99');
    expect(
      unbalancedReason(
        [
          { account: 'a', debitFen: 100, creditFen: 100 },
          { account: 'b', debitFen: 0, creditFen: 0 },
        ],
        100,
      ),
    ).toMatch(/either a debit or a credit/);
    expect(unbalancedReason(transfer('a', 'b', 1.5), 1.5)).toMatch(/positive integer/);
    expect(unbalancedReason(transfer('a', 'b', 100), 200)).toMatch(/≠ entry amount 200/);
    expect(unbalancedReason([{ account: 'a', debitFen: 1, creditFen: 0 }], 1)).toMatch(/two lines/);
  });
});

describe('attributing outflows to sources (first in, first out)', () => {
  const allocations = [
    { sourceId: 'central', amountFen: 1000 },
    { sourceId: 'county', amountFen: 500 },
    { sourceId: 'central', amountFen: 200 },
  ];

  it('takes the oldest allocations first', () => {
    expect(attributeToSources(allocations, 0, 300)).toEqual([
      { sourceId: 'central', amountFen: 300 },
    ]);
  });

  it('splits an outflow across the allocations its range covers, merging a source', () => {
    expect(attributeToSources(allocations, 900, 700)).toEqual([
      { sourceId: 'central', amountFen: 200 },
      { sourceId: 'county', amountFen: 500 },
    ]);
  });

  it('shares always sum to the amount and never exceed what was allocated', () => {
    let consumed = 0;
    const bySource = new Map<string, number>();
    for (const amount of [1, 299, 700, 1, 499, 200]) {
      const shares = attributeToSources(allocations, consumed, amount);
      expect(shares.reduce((sum, share) => sum + share.amountFen, 0)).toBe(amount);
      for (const share of shares) {
        bySource.set(share.sourceId, (bySource.get(share.sourceId) ?? 0) + share.amountFen);
      }
      consumed += amount;
    }
    expect(Object.fromEntries(bySource)).toEqual({ central: 1200, county: 500 });
  });

  it('refuses an outflow beyond what the program was allocated', () => {
    expect(() => attributeToSources(allocations, 1600, 101)).toThrow(/exceeds the 1700/);
  });
});
