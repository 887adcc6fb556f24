import { PARCEL_STATUSES, type ParcelStatus } from '@ecomlog/contracts';

/** A scan after normalisation: what the parcel's state is derived from. */
export interface ScanFact {
  scanId: string;
  carrier: string;
  waybillNo: string;
  status: ParcelStatus;
  /** ISO 8601 with offset, as the courier sent it. */
  occurredAt: string;
  siteId?: string | null;
  divisionCode?: string | null;
  origin?: string | null;
  destination?: string | null;
  handoverTo?: string | null;
}

export interface ParcelState {
  status: ParcelStatus;
  /** occurredAt of the scan that set the status. */
  statusAt: string;
  pickedUpAt: string | null;
  deliveredAt: string | null;
  originDivisionCode: string | null;
  destinationDivisionCode: string | null;
  jointlyDistributed: boolean;
  siteId: string | null;
  /** Distinct scans the state was derived from. */
  scanCount: number;
}

/** Rank: the lifecycle order, then exception, then returned (ties at one instant sort by it). */
export function statusRank(status: ParcelStatus): number {
  return PARCEL_STATUSES.indexOf(status);
}

function instant(scan: ScanFact): number {
  return Date.parse(scan.occurredAt);
}

/** A total order on scans: event time, rank, scan id, then the remaining content. */
export function compareScans(a: ScanFact, b: ScanFact): number {
  return (
    instant(a) - instant(b) ||
    statusRank(a.status) - statusRank(b.status) ||
    compareText(a.scanId, b.scanId) ||
    compareText(canonical(a), canonical(b))
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function canonical(scan: ScanFact): string {
  return JSON.stringify([
    scan.occurredAt,
    scan.siteId ?? null,
    scan.divisionCode ?? null,
    scan.origin ?? null,
    scan.destination ?? null,
    scan.handoverTo ?? null,
  ]);
}

/** Duplicate keys of a scan: its id, and its status at its instant. */
export function dedupeKeys(scan: ScanFact): [string, string] {
  return [`id:${scan.scanId}`, `at:${scan.status}@${instant(scan)}`];
}

/**
 * The distinct scans of one parcel in canonical order. A scan repeating an earlier (canonical)
 * scan's id, or its status at the same instant, is a duplicate; because the order is total, which
 * copy survives does not depend on arrival order.
 */
export function distinctScans(scans: readonly ScanFact[]): ScanFact[] {
  const seen = new Set<string>();
  const kept: ScanFact[] = [];
  for (const scan of [...scans].sort(compareScans)) {
    const keys = dedupeKeys(scan);
    if (keys.some((key) => seen.has(key))) continue;
    keys.forEach((key) => seen.add(key));
    kept.push(scan);
  }
  return kept;
}

const DELIVERED: ParcelStatus = 'delivered';
const RETURNED: ParcelStatus = 'returned';

/**
 * The state of a parcel as a pure function of its set of scans: duplicates dropped, the rest
 * replayed in (event time, rank) order. The latest scan sets the status, except that
 * - `delivered` is terminal: only `returned` (退签) follows it;
 * - `returned` is terminal;
 * - `exception` (问题件) is a side state: the next lifecycle scan moves the parcel on.
 * Returns null for no scans.
 */
export function parcelState(scans: readonly ScanFact[]): ParcelState | null {
  const ordered = distinctScans(scans);
  if (ordered.length === 0) return null;
  let status: ParcelStatus | null = null;
  let statusAt = '';
  let pickedUpAt: string | null = null;
  let origin: string | null = null;
  let destination: string | null = null;
  let siteId: string | null = null;
  let jointlyDistributed = false;
  for (const scan of ordered) {
    if (scan.status === 'picked_up' && pickedUpAt === null) pickedUpAt = scan.occurredAt;
    origin ??= scan.origin ?? null;
    destination = scan.destination ?? destination;
    siteId = scan.siteId ?? siteId;
    if (scan.handoverTo) jointlyDistributed = true;
    const locked = status === RETURNED || (status === DELIVERED && scan.status !== RETURNED);
    if (!locked) {
      status = scan.status;
      statusAt = scan.occurredAt;
    }
  }
  const final = status ?? ordered[0].status;
  return {
    status: final,
    statusAt,
    pickedUpAt,
    deliveredAt: final === DELIVERED ? statusAt : null,
    originDivisionCode: origin,
    destinationDivisionCode: destination,
    jointlyDistributed,
    siteId,
    scanCount: ordered.length,
  };
}
