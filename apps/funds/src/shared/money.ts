/** Money is integer fen everywhere; these helpers only read and print it. */

/** node-postgres returns bigint and numeric as strings: read one as a safe integer of fen. */
export function fen(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(amount)) {
    throw new Error(`amount ${String(value)} is not a safe integer of fen`);
  }
  return amount;
}

/** ¥8,000,000.00 — for messages officials read. */
export function yuan(amountFen: number): string {
  const negative = amountFen < 0;
  const abs = Math.abs(amountFen);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}¥${whole}.${cents}`;
}
