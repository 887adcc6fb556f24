import {
  effectiveEnd,
  elapsedFraction,
  expandPeriodItem,
  parseFixedPeriod,
  periodsContaining,
  previousYear,
  type Period,
} from './period';

function fixed(label: string): Period {
  const period = parseFixedPeriod(label);
  if (!period) throw new Error(`not a period: ${label}`);
  return period;
}

describe('periods (Asia/Shanghai)', () => {
  it('parses every fixed label and refuses impossible ones', () => {
    expect(fixed('20240229')).toMatchObject({ from: '2024-02-29', to: '2024-02-29' });
    expect(parseFixedPeriod('20230229')).toBeNull();
    expect(fixed('202402')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(fixed('2024Q3')).toMatchObject({ from: '2024-07-01', to: '2024-09-30' });
    expect(fixed('2024')).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
    expect(fixed('2024YTD0815')).toMatchObject({ from: '2024-01-01', to: '2024-08-15' });
    expect(parseFixedPeriod('202413')).toBeNull();
  });

  it('expands relative periods against today', () => {
    const months = expandPeriodItem('LAST_12_MONTHS', '2024-03-10').map((p) => p.label);
    expect(months).toEqual([
      '202304',
      '202305',
      '202306',
      '202307',
      '202308',
      '202309',
      '202310',
      '202311',
      '202312',
      '202401',
      '202402',
      '202403',
    ]);
    expect(expandPeriodItem('YTD', '2024-03-10')[0]).toMatchObject({ label: '2024YTD0310' });
    expect(expandPeriodItem('LAST_MONTH', '2024-01-05')[0].label).toBe('202312');
    expect(() => expandPeriodItem('NEXT_YEAR', '2024-01-05')).toThrow(/is not a period/);
  });

  it('finds the 同比 base one year earlier', () => {
    expect(previousYear(fixed('202408')).label).toBe('202308');
    expect(previousYear(fixed('2024Q1')).label).toBe('2023Q1');
    expect(previousYear(fixed('20240229')).label).toBe('20230228');
    expect(previousYear(fixed('2024YTD0815')).label).toBe('2023YTD0815');
  });

  it('lists the cells a day belongs to and how much of a period has passed', () => {
    expect(periodsContaining('2024-08-01').map((p) => p.label)).toEqual([
      '20240801',
      '202408',
      '2024Q3',
      '2024',
    ]);
    expect(elapsedFraction(fixed('202404'), '2024-04-15')).toBeCloseTo(0.5);
    expect(elapsedFraction(fixed('202404'), '2024-05-01')).toBe(1);
    expect(effectiveEnd(fixed('2024'), '2024-04-15')).toBe('2024-04-15');
    expect(effectiveEnd(fixed('2023'), '2024-04-15')).toBe('2023-12-31');
  });
});
