import type { IndicatorCellChangedV1 } from '@ecomlog/contracts';
import { isVisibleTo, mayWatch } from './live-filter';

const cell = (divisionCode: string): IndicatorCellChangedV1 => ({
  indicator: 'parcel_volume',
  divisionCode,
  period: '202611',
  scope: null,
  value: 12,
  numerator: null,
  denominator: null,
  unit: 'count',
  version: 1,
  computedAt: '2026-11-22T10:00:00+08:00',
});

describe('live feed filter', () => {
  it('sends a client the cells under the division it watches and inside its region', () => {
    const town = { divisionPrefix: '370982101', regionPrefix: '370982' };
    expect(isVisibleTo(cell('370982101000'), town)).toBe(true);
    expect(isVisibleTo(cell('370982101201'), town)).toBe(true);
    expect(isVisibleTo(cell('370982102000'), town)).toBe(false);
    expect(isVisibleTo(cell('370982000000'), town)).toBe(false);
    // A region narrower than the subscription still bounds what is sent.
    expect(
      isVisibleTo(cell('370983000000'), { divisionPrefix: '3709', regionPrefix: '370982' }),
    ).toBe(false);
  });

  it('lets an official watch only divisions inside the region', () => {
    expect(mayWatch('370982', '370982000000')).toBe(true);
    expect(mayWatch('370982', '370982101000')).toBe(true);
    expect(mayWatch('370982', '370900000000')).toBe(false);
    expect(mayWatch('', '370000000000')).toBe(true);
  });
});
