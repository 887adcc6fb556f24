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

/** The Asia/Shanghai calendar year of an instant. */
export function shanghaiYear(instant: Date = new Date()): number {
  return Number(shanghaiDay(instant).slice(0, 4));
}
