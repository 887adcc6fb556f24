import {
  addDays,
  daysInMonth,
  isCalendarDay,
  isRealDay,
  shanghaiDay,
  shanghaiMonth,
  shanghaiTimestamp,
  shanghaiYear,
} from './calendar';

describe('shanghaiDay', () => {
  it('is the day in Shanghai (UTC+8), not in UTC, around Shanghai midnight', () => {
    expect(shanghaiDay(new Date('2024-07-31T15:59:59.999Z'))).toBe('2024-07-31');
    expect(shanghaiDay(new Date('2024-07-31T16:00:00.000Z'))).toBe('2024-08-01');
    expect(shanghaiDay(new Date('2024-08-01T00:00:00+08:00'))).toBe('2024-08-01');
    expect(shanghaiDay(new Date('2024-07-31T23:59:59+08:00'))).toBe('2024-07-31');
  });

  it('turns the year at Shanghai midnight on 1 January', () => {
    expect(shanghaiDay(new Date('2023-12-31T16:00:00Z'))).toBe('2024-01-01');
    expect(shanghaiYear(new Date('2023-12-31T15:59:59Z'))).toBe(2023);
    expect(shanghaiYear(new Date('2023-12-31T16:00:00Z'))).toBe(2024);
  });

  it('reaches 29 February in a leap year', () => {
    expect(shanghaiDay(new Date('2024-02-28T16:00:00Z'))).toBe('2024-02-29');
    expect(shanghaiDay(new Date('2024-02-29T16:00:00Z'))).toBe('2024-03-01');
  });

  it('takes ISO 8601 strings and refuses what is not an instant', () => {
    expect(shanghaiDay('2024-08-01T02:00:00Z')).toBe('2024-08-01');
    expect(shanghaiDay('2024-08-01T20:00:00Z')).toBe('2024-08-02');
    expect(() => shanghaiDay('yesterday')).toThrow(RangeError);
  });

  it('defaults to now', () => {
    expect(shanghaiDay()).toBe(shanghaiDay(new Date()));
  });
});

describe('shanghaiMonth', () => {
  it('is the month in Shanghai, not in UTC, around the turn of a month and a year', () => {
    expect(shanghaiMonth('2024-07-31T15:59:59.999Z')).toBe('2024-07');
    expect(shanghaiMonth('2024-07-31T16:00:00Z')).toBe('2024-08');
    expect(shanghaiMonth('2024-08-01T00:00:00+08:00')).toBe('2024-08');
    expect(shanghaiMonth(new Date('2023-12-31T16:00:00Z'))).toBe('2024-01');
    expect(() => shanghaiMonth('last month')).toThrow(RangeError);
  });
});

describe('shanghaiTimestamp', () => {
  it('writes the instant with the +08:00 offset', () => {
    expect(shanghaiTimestamp(new Date('2024-07-31T16:30:00.000Z'))).toBe(
      '2024-08-01T00:30:00.000+08:00',
    );
    expect(Date.parse(shanghaiTimestamp(new Date('2024-07-31T16:30:00.000Z')))).toBe(
      Date.parse('2024-07-31T16:30:00.000Z'),
    );
  });
});

describe('isCalendarDay', () => {
  it.each(['2024-02-29', '2000-02-29', '2023-12-31', '2024-01-01', '2024-04-30'])(
    'accepts the real day %s',
    (day) => expect(isCalendarDay(day)).toBe(true),
  );

  it.each([
    ['2023-02-29', 'no 29 February outside leap years'],
    ['1900-02-29', '1900 is not a leap year'],
    ['2024-02-30', 'February has at most 29 days'],
    ['2024-04-31', 'April has 30 days'],
    ['2024-13-01', 'month 13'],
    ['2024-00-10', 'month 0'],
    ['2024-01-00', 'day 0'],
    ['2024-8-1', 'unpadded'],
    ['20240801', 'no dashes'],
    ['2024-08-01T00:00:00Z', 'a timestamp, not a day'],
    [' 2024-08-01', 'leading space'],
    ['', 'empty'],
  ])('refuses %s (%s)', (day) => expect(isCalendarDay(day)).toBe(false));

  it('refuses what is not a string', () => {
    expect(isCalendarDay(20240801)).toBe(false);
    expect(isCalendarDay(null)).toBe(false);
    expect(isCalendarDay(new Date('2024-08-01'))).toBe(false);
  });
});

describe('daysInMonth and isRealDay', () => {
  it('counts the days of each month, leap February included', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
  });

  it('knows real days from numbers', () => {
    expect(isRealDay(2024, 2, 29)).toBe(true);
    expect(isRealDay(2023, 2, 29)).toBe(false);
    expect(isRealDay(2024, 12, 31)).toBe(true);
    expect(isRealDay(2024, 12, 32)).toBe(false);
    expect(isRealDay(2024, 1.5, 1)).toBe(false);
  });
});

describe('addDays', () => {
  it('crosses months, years and 29 February', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(addDays('2024-08-01', 0)).toBe('2024-08-01');
    expect(addDays('2024-03-01', -366)).toBe('2023-03-01');
  });
});
