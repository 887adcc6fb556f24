import type { IndicatorCellChangedV1 } from '@ecomlog/contracts';
import { prefixOfCode } from '@ecomlog/kernel';

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
  return prefixOfCode(code).startsWith(regionPrefix);
}
