/**
 * Calendar days on the Asia/Shanghai calendar (UTC+8 all year, no daylight saving): the day every
 * service dates statuses, facts and periods by, written YYYY-MM-DD.
 */

const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** A day written YYYY-MM-DD (the shape only; see `isCalendarDay` for a real day). */
export const CALENDAR_DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The Asia/Shanghai calendar day of an instant (a Date or an ISO 8601 string), as YYYY-MM-DD. */
export function shanghaiDay(instant: Date | string = new Date()): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`"${String(instant)}" is not an instant`);
  return SHANGHAI_DAY.format(date);
}

/** The Asia/Shanghai calendar year of an instant. */
export function shanghaiYear(instant: Date | string = new Date()): number {
  return Number(shanghaiDay(instant).slice(0, 4));
}

/** The Asia/Shanghai calendar month of an instant, as YYYY-MM. */
export function shanghaiMonth(instant: Date | string = new Date()): string {
  return shanghaiDay(instant).slice(0, 7);
}

/** An instant written with the Asia/Shanghai offset, e.g. 2024-08-01T10:00:00.000+08:00. */
export function shanghaiTimestamp(instant: Date = new Date()): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** The number of days in a month (1–12) of a year: 29 for February of a leap year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a real day given as numbers: month 1–12, day 1 to the month's last. */
export function isRealDay(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/**
 * True for a real calendar day written YYYY-MM-DD (2024-02-29 is one, 2023-02-29 is not). Of a
 * value already typed `string` it is a plain check (a refused day stays a string for the message).
 */
export function isCalendarDay(value: string): boolean;
export function isCalendarDay(value: unknown): value is string;
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !CALENDAR_DAY_PATTERN.test(value)) return false;
  return isRealDay(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8)));
}

/** Adds (or with a negative count, subtracts) days to a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
