// The browser's number and date formatting (public/format.js, a plain ES module).
interface FormatModule {
  formatFen(fen: number | null, lang: string): string;
  formatCount(count: number | null, lang: string): string;
  formatRatio(ratio: number | null, lang: string): string;
  formatYoy(yoy: number | null, lang: string): string;
  formatValue(value: number | null, unit: string, lang: string): string;
  formatDateTime(iso: string): string;
  concretePeriod(relative: string, now?: Date): string;
  formatPeriod(period: string, lang: string): string;
}

const format = jest.requireActual<FormatModule>('../../public/format.js');

describe('dashboard number formatting', () => {
  it('shows money from fen in 元, 万元 and 亿元', () => {
    expect(format.formatFen(15800, 'zh')).toBe('158.00 元');
    expect(format.formatFen(123456789, 'zh')).toBe('123.46 万元');
    expect(format.formatFen(1_234_567_890_00, 'zh')).toBe('12.35 亿元');
    expect(format.formatFen(8_000_000_00, 'en')).toBe('800.00 10k yuan');
    expect(format.formatFen(null, 'zh')).toBe('—');
  });

  it('groups thousands and shows ratios as % with one decimal', () => {
    expect(format.formatCount(1234567, 'zh')).toBe('1,234,567');
    expect(format.formatRatio(0.9312, 'zh')).toBe('93.1%');
    expect(format.formatValue(null, 'ratio', 'en')).toBe('—');
    expect(format.formatYoy(0.125, 'zh')).toBe('+12.5%');
    expect(format.formatYoy(-0.03, 'zh')).toBe('−3.0%');
    expect(format.formatYoy(null, 'zh')).toBe('—');
  });

  it('reads instants and periods in the Asia/Shanghai calendar', () => {
    // 16:30 UTC on 31 October is already 1 November in Shanghai.
    const instant = new Date('2026-10-31T16:30:00Z');
    expect(format.formatDateTime(instant.toISOString())).toBe('2026-11-01 00:30');
    expect(format.concretePeriod('THIS_MONTH', instant)).toBe('202611');
    expect(format.concretePeriod('THIS_YEAR', instant)).toBe('2026');
    expect(format.formatPeriod('202611', 'zh')).toBe('2026年11月');
    expect(format.formatPeriod('20261122', 'zh')).toBe('11月22日');
    expect(format.formatPeriod('2026Q3', 'en')).toBe('2026 Q3');
  });
});
