const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Asia/Shanghai calendar day of an instant, as YYYY-MM-DD. */
export function shanghaiDay(instant: Date = new Date()): string {
  return SHANGHAI_DAY.format(instant);
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An instant written with the Asia/Shanghai offset, e.g. 2024-08-01T10:00:00.000+08:00. */
export function shanghaiTimestamp(instant: Date = new Date()): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** True for a real calendar day written YYYY-MM-DD (2024-02-30 is not one). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** pg returns `date` columns as Date at local midnight or as string; normalise to YYYY-MM-DD. */
export function dayOf(value: string | Date): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const y = value.getFullYear();
  const m = String(value.getMonth() + 1).padStart(2, '0');
  const d = String(value.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
