import type { DivisionLevel, SiteKind, SiteStatus } from '@ecomlog/contracts';

/**
 * The division levels a kind of site may sit at. County-level facilities sit at a county-level
 * division (县, 县级市, 市辖区 — all `county` in 统计用区划代码); a prefecture-level city is not
 * accepted: a city-wide centre is outside SPEC 4.3's three-tier network.
 */
export const SITE_KIND_LEVELS: Record<SiteKind, readonly DivisionLevel[]> = {
  county_service_center: ['county'],
  county_sorting_center: ['county'],
  town_service_station: ['town'],
  village_service_point: ['village'],
  warehouse: ['county', 'town'],
  ecommerce_park: ['county', 'town'],
  livestream_base: ['county', 'town'],
  pickup_point: ['town', 'village'],
  parcel_locker: ['town', 'village'],
  rural_supermarket: ['town', 'village'],
};

/** The kinds that make a village count as reached by express (SPEC 4.6 村村通快递). */
export const EXPRESS_CAPABLE_KINDS: readonly SiteKind[] = [
  'village_service_point',
  'pickup_point',
  'parcel_locker',
  'rural_supermarket',
];

/** What may follow each status in a site's history. */
export const SITE_TRANSITIONS: Record<SiteStatus, readonly SiteStatus[]> = {
  planned: ['under_construction', 'operating', 'closed'],
  under_construction: ['operating', 'closed'],
  operating: ['suspended', 'closed'],
  suspended: ['operating', 'closed'],
  closed: [],
};

/** A history starts with one of these: a site is registered when planned, built or running. */
export const FIRST_SITE_STATUSES: readonly SiteStatus[] = [
  'planned',
  'under_construction',
  'operating',
];

const LEVEL_NAMES: Record<DivisionLevel, string> = {
  province: 'province',
  city: 'prefecture-level city',
  county: 'county',
  town: 'town (乡镇/街道)',
  village: 'village (村/居委会)',
};

export function describeLevels(levels: readonly DivisionLevel[]): string {
  return levels.map((level) => LEVEL_NAMES[level]).join(' or ');
}

export interface DatedStatus {
  status: SiteStatus;
  effectiveFrom: string;
}

/**
 * Why this history (in any order) is impossible, or null when it is valid: entries ordered by
 * effectiveFrom must start with a first status and follow SITE_TRANSITIONS, one entry per day.
 */
export function historyProblem(entries: readonly DatedStatus[]): string | null {
  const ordered = [...entries].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  if (ordered.length === 0) return 'the status history is empty';
  const first = ordered[0];
  if (!FIRST_SITE_STATUSES.includes(first.status)) {
    return `the history would start with ${first.status} from ${first.effectiveFrom}, but a site's first status is ${FIRST_SITE_STATUSES.join(', ')}`;
  }
  for (let i = 1; i < ordered.length; i += 1) {
    const previous = ordered[i - 1];
    const next = ordered[i];
    if (previous.effectiveFrom === next.effectiveFrom) {
      return `two entries on ${next.effectiveFrom} (${previous.status} and ${next.status}); a site has one status per day`;
    }
    if (!SITE_TRANSITIONS[previous.status].includes(next.status)) {
      const allowed = SITE_TRANSITIONS[previous.status];
      const after =
        allowed.length === 0
          ? `${previous.status} is final`
          : `after ${previous.status} only ${allowed.join(', ')} may follow`;
      return `${next.status} from ${next.effectiveFrom} cannot follow ${previous.status} from ${previous.effectiveFrom} (${after})`;
    }
  }
  return null;
}

/** The status on `day`: the entry with the latest effectiveFrom ≤ day; null before the first. */
export function statusOn(entries: readonly DatedStatus[], day: string): SiteStatus | null {
  let found: DatedStatus | null = null;
  for (const entry of entries) {
    if (entry.effectiveFrom <= day && (!found || entry.effectiveFrom > found.effectiveFrom)) {
      found = entry;
    }
  }
  return found?.status ?? null;
}
