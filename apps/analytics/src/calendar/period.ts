/**
 * Reporting periods on the Asia/Shanghai calendar. A period is a closed range of calendar days
 * with a label: day `20240801`, month `202408`, quarter `2024Q3`, year `2024`, or year-to-date
 * `2024YTD` (1 January to the day asked). Relative items (`THIS_MONTH`, `LAST_12_MONTHS`, …)
 * expand to these against "today" in Shanghai. The calendar itself (the Shanghai day of an
 * instant, day arithmetic, real days) is @ecomlog/kernel's.
 */
import { addDays, daysInMonth, isRealDay } from '@ecomlog/kernel';

export type PeriodKind = 'day' | 'month' | 'quarter' | 'year' | 'ytd';

export interface Period {
  readonly label: string;
  readonly kind: PeriodKind;
  /** First day, YYYY-MM-DD. */
  readonly from: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  readonly to: string;
}

export const RELATIVE_PERIODS = [
  'TODAY',
  'YESTERDAY',
  'THIS_MONTH',
  'LAST_MONTH',
  'THIS_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'YTD',
  'LAST_7_DAYS',
  'LAST_30_DAYS',
  'LAST_12_MONTHS',
] as const;

export class PeriodError extends Error {}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function dayPeriod(day: string): Period {
  return { label: day.replaceAll('-', ''), kind: 'day', from: day, to: day };
}

export function monthPeriod(year: number, month: number): Period {
  return {
    label: `${year}${pad(month)}`,
    kind: 'month',
    from: `${year}-${pad(month)}-01`,
    to: `${year}-${pad(month)}-${pad(daysInMonth(year, month))}`,
  };
}

export function quarterPeriod(year: number, quarter: number): Period {
  const first = (quarter - 1) * 3 + 1;
  return {
    label: `${year}Q${quarter}`,
    kind: 'quarter',
    from: `${year}-${pad(first)}-01`,
    to: monthPeriod(year, first + 2).to,
  };
}

export function yearPeriod(year: number): Period {
  return { label: String(year), kind: 'year', from: `${year}-01-01`, to: `${year}-12-31` };
}

export function yearToDate(day: string): Period {
  const year = Number(day.slice(0, 4));
  return {
    label: `${year}YTD${day.slice(5).replace('-', '')}`,
    kind: 'ytd',
    from: `${year}-01-01`,
    to: day,
  };
}

/** Parses one fixed period label; null when the text is not one. */
export function parseFixedPeriod(label: string): Period | null {
  let match = /^(\d{4})(\d{2})(\d{2})$/.exec(label);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return isRealDay(year, month, day) ? dayPeriod(`${match[1]}-${match[2]}-${match[3]}`) : null;
  }
  match = /^(\d{4})(\d{2})$/.exec(label);
  if (match) {
    const month = Number(match[2]);
    return month >= 1 && month <= 12 ? monthPeriod(Number(match[1]), month) : null;
  }
  match = /^(\d{4})Q([1-4])$/.exec(label);
  if (match) return quarterPeriod(Number(match[1]), Number(match[2]));
  match = /^(\d{4})$/.exec(label);
  if (match) return yearPeriod(Number(match[1]));
  match = /^(\d{4})YTD(\d{2})(\d{2})$/.exec(label);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return isRealDay(year, month, day) ? yearToDate(`${match[1]}-${match[2]}-${match[3]}`) : null;
  }
  return null;
}

/** Parses a label known to be valid (e.g. built by this module); throws otherwise. */
export function mustParse(label: string): Period {
  const period = parseFixedPeriod(label);
  if (!period) throw new PeriodError(`"${label}" is not a period`);
  return period;
}

/** Expands one `pe` item (fixed or relative) to its periods, oldest first. */
export function expandPeriodItem(item: string, today: string): Period[] {
  const fixed = parseFixedPeriod(item);
  if (fixed) return [fixed];
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const monthsBack = (n: number): Period[] =>
    Array.from({ length: n }, (_, i) => {
      const index = year * 12 + (month - 1) - (n - 1 - i);
      return monthPeriod(Math.floor(index / 12), (index % 12) + 1);
    });
  const daysBack = (n: number): Period[] =>
    Array.from({ length: n }, (_, i) => dayPeriod(addDays(today, -(n - 1 - i))));
  switch (item) {
    case 'TODAY':
      return [dayPeriod(today)];
    case 'YESTERDAY':
      return [dayPeriod(addDays(today, -1))];
    case 'THIS_MONTH':
      return [monthPeriod(year, month)];
    case 'LAST_MONTH':
      return [monthsBack(2)[0]];
    case 'THIS_QUARTER':
      return [quarterPeriod(year, Math.floor((month - 1) / 3) + 1)];
    case 'THIS_YEAR':
      return [yearPeriod(year)];
    case 'LAST_YEAR':
      return [yearPeriod(year - 1)];
    case 'YTD':
      return [yearToDate(today)];
    case 'LAST_7_DAYS':
      return daysBack(7);
    case 'LAST_30_DAYS':
      return daysBack(30);
    case 'LAST_12_MONTHS':
      return monthsBack(12);
    default:
      throw new PeriodError(
        `"${item}" is not a period: use a day 20240801, a month 202408, a quarter 2024Q3, a year 2024, a year-to-date 2024YTD0815, or one of ${RELATIVE_PERIODS.join(', ')}`,
      );
  }
}

/** The same period one year earlier (同比 base); 29 February maps to 28 February. */
export function previousYear(period: Period): Period {
  const shift = (day: string): string => {
    const year = Number(day.slice(0, 4)) - 1;
    const month = Number(day.slice(5, 7));
    const dayOfMonth = Math.min(Number(day.slice(8, 10)), daysInMonth(year, month));
    return `${year}-${pad(month)}-${pad(dayOfMonth)}`;
  };
  switch (period.kind) {
    case 'day':
      return dayPeriod(shift(period.from));
    case 'ytd':
      return yearToDate(shift(period.to));
    default:
      return mustParse(String(Number(period.label.slice(0, 4)) - 1) + period.label.slice(4));
  }
}

/** The day, month, quarter and year periods that contain a day: the cells a fact can change. */
export function periodsContaining(day: string): Period[] {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return [
    dayPeriod(day),
    monthPeriod(year, month),
    quarterPeriod(year, Math.floor((month - 1) / 3) + 1),
    yearPeriod(year),
  ];
}

/** How much of a period has passed on `today` (0–1), for on-track judgements of targets. */
export function elapsedFraction(period: Period, today: string): number {
  if (today < period.from) return 0;
  if (today >= period.to) return 1;
  const span = (from: string, to: string): number =>
    (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  return span(period.from, today) / span(period.from, period.to);
}

/** The last day of the period that has been reached: the "period end" of stock indicators. */
export function effectiveEnd(period: Period, today: string): string {
  return period.to < today ? period.to : today < period.from ? period.from : today;
}
