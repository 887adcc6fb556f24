import { OutsideRegion } from '@ecomlog/http';
import type { Principal } from './principal';

/** Whether a region check guards reading something or changing it. */
export type RegionAccess = 'read' | 'change';

/**
 * Whose region a check is about: a principal, or a service's actor that carries the official's
 * region prefix (registry's DivisionActor, Actor). Only officials have a region; a principal of
 * another kind (machine clients) and a missing actor (the CLI, internal calls) are unrestricted.
 */
export interface RegionHolder {
  readonly kind?: Principal['kind'];
  readonly regionPrefix?: string;
}

/** How a region check refuses. */
export interface RegionCheck {
  /** Whether reading or changing is refused; by default what the principal's request does. */
  access?: RegionAccess;
  /**
   * The refusal's detail, for a door whose words say more than the standard sentence (which site,
   * which official); given the holder's region prefix ('' = nationwide).
   */
  detail?: (region: string) => string;
}

/**
 * What the request that proved each principal does (GET/HEAD read, anything else changes), noted
 * by the AuthGuard so a region refusal can say which, without every service passing it along.
 */
const requestAccess = new WeakMap<object, RegionAccess>();

/** Notes whether the request `principal` came with reads or changes (called by the AuthGuard). */
export function noteRequestAccess(principal: Principal, method: string): void {
  const safe = ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  requestAccess.set(principal, safe ? 'read' : 'change');
}

/** The region prefix a holder is confined to ('' = everything: nationwide, or no official). */
export function regionOf(holder: RegionHolder | null | undefined): string {
  if (!holder || (holder.kind !== undefined && holder.kind !== 'official')) return '';
  return holder.regionPrefix ?? '';
}

/**
 * Officials act only inside their region (a division-code prefix); machine clients have none.
 * `divisionCode` is a 12-digit code or a prefix: a prefix (a whole division, an official's region)
 * is inside when it starts with the region, so a county official may not take its city.
 */
export function isWithinRegion(
  holder: RegionHolder | null | undefined,
  divisionCode: string,
): boolean {
  return divisionCode.startsWith(regionOf(holder));
}

/**
 * `found` when it exists and lies inside the holder's region; otherwise what `missing` makes (a
 * 404 that does not tell "in another region" from "nowhere", so ids elsewhere stay unseen).
 */
export function foundInRegion<T extends { divisionCode: string }>(
  holder: RegionHolder | null | undefined,
  found: T | null | undefined,
  missing: () => Error,
): T {
  if (!found || !isWithinRegion(holder, found.divisionCode)) throw missing();
  return found;
}

/** The first of `divisionCodes` outside the holder's region, or undefined when all lie inside. */
export function firstOutsideRegion(
  holder: RegionHolder | null | undefined,
  divisionCodes: Iterable<string>,
): string | undefined {
  for (const code of divisionCodes) if (!isWithinRegion(holder, code)) return code;
  return undefined;
}

/**
 * 403 outside-region unless the division (a code or a prefix) lies inside the holder's region.
 * The detail says whether reading or changing was refused (`access`, or else what the principal's
 * request does), unless the check brings its own words.
 */
export function assertWithinRegion(
  holder: RegionHolder | null | undefined,
  divisionCode: string,
  check: RegionAccess | RegionCheck = {},
): void {
  if (isWithinRegion(holder, divisionCode)) return;
  const { access, detail } =
    typeof check === 'string' ? { access: check, detail: undefined } : check;
  throw outsideRegion(holder, divisionCode, access, detail);
}

/** Like assertWithinRegion for several divisions: refuses at the first outside the region. */
export function assertAllWithinRegion(
  holder: RegionHolder | null | undefined,
  divisionCodes: Iterable<string>,
  check: RegionAccess | RegionCheck = {},
): void {
  const outside = firstOutsideRegion(holder, divisionCodes);
  if (outside !== undefined) assertWithinRegion(holder, outside, check);
}

function outsideRegion(
  holder: RegionHolder | null | undefined,
  divisionCode: string,
  access: RegionAccess | undefined,
  detail: ((region: string) => string) | undefined,
): OutsideRegion {
  const region = regionOf(holder);
  if (detail) return new OutsideRegion(detail(region));
  const refused = access ?? (holder ? requestAccess.get(holder) : undefined);
  const refusal =
    refused === 'read'
      ? 'you may read only what lies inside it'
      : refused === 'change'
        ? 'you may change only what lies inside it'
        : 'you may act only inside it';
  return new OutsideRegion(
    `Division ${divisionCode} is outside your region (${region || 'none'}): ${refusal}; ask an official of that region or an administrator.`,
  );
}

/** The prefix a list query must be narrowed to for this principal ('' = everything). */
export function regionPrefixOf(principal: Principal): string {
  return regionOf(principal);
}
