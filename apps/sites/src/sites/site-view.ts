import type { SiteChangedV1, SiteStatus } from '@ecomlog/contracts';

/**
 * A site as the API shows it: the full state `sites.sites.v1` carries, plus the day it is seen
 * from (`asOf`) and its status on that day.
 */
export type SiteView = SiteChangedV1 & {
  /** The Asia/Shanghai day the site is seen as of. */
  asOf: string;
  /** Status on `asOf`: the history entry with the latest effectiveFrom ≤ asOf. */
  status: SiteStatus;
};
