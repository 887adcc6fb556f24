import type { IndicatorCellChangedV1 } from '@ecomlog/contracts';

/**
 * The code prefix that selects a division and everything under it: 37 (province), 3709 (city),
 * 370982 (county), 370982101 (town) or all 12 digits (village). A shorter string is taken as a
 * prefix already ('' = everything).
 */
export function divisionPrefix(code: string): string {
  if (code.length < 12) return code;
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}

/** What one live client asked for and may see. */
export interface LiveSubscription {
  /** The subscribed division's prefix (`?ou=`). */
  divisionPrefix: string;
  /** The official's region prefix from the token ('' = nationwide). */
  regionPrefix: string;
}

/** A cell goes to a client when it lies under the division asked for and inside their region. */
export function isVisibleTo(cell: IndicatorCellChangedV1, subscription: LiveSubscription): boolean {
  return (
    cell.divisionCode.startsWith(subscription.divisionPrefix) &&
    cell.divisionCode.startsWith(subscription.regionPrefix)
  );
}

/**
 * Whether an official of `regionPrefix` may subscribe to `code`: only a division inside the region
 * (a county official cannot watch the whole province).
 */
export function mayWatch(regionPrefix: string, code: string): boolean {
  return divisionPrefix(code).startsWith(regionPrefix);
}
