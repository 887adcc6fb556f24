import { ProblemException } from '@ecomlog/http';
import type { Principal } from './principal';

/** Whether a region check guards reading something or changing it. */
export type RegionAccess = 'read' | 'change';

/**
 * What the request that proved each principal does (GET/HEAD read, anything else changes), noted
 * by the AuthGuard so a region refusal can say which, without every service passing it along.
 */
const requestAccess = new WeakMap<Principal, RegionAccess>();

/** Notes whether the request `principal` came with reads or changes (called by the AuthGuard). */
export function noteRequestAccess(principal: Principal, method: string): void {
  const safe = ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  requestAccess.set(principal, safe ? 'read' : 'change');
}

/** Officials act only inside their region (a division-code prefix); machine clients have none. */
export function isWithinRegion(principal: Principal, divisionCode: string): boolean {
  return principal.kind !== 'official' || divisionCode.startsWith(principal.regionPrefix);
}

/**
 * 403 outside-region unless the division lies inside the official's region. The detail says
 * whether reading or changing was refused: `access`, or else what the principal's request does.
 */
export function assertWithinRegion(
  principal: Principal,
  divisionCode: string,
  access: RegionAccess | undefined = requestAccess.get(principal),
): void {
  if (isWithinRegion(principal, divisionCode)) return;
  const region = principal.regionPrefix || 'none';
  const refusal =
    access === 'read'
      ? 'you may read only what lies inside it'
      : access === 'change'
        ? 'you may change only what lies inside it'
        : 'you may act only inside it';
  throw new ProblemException(
    403,
    'outside-region',
    'Outside your region',
    `Division ${divisionCode} is outside your region (${region}): ${refusal}; ask an official of that region or an administrator.`,
  );
}

/** The prefix a list query must be narrowed to for this principal ('' = everything). */
export function regionPrefixOf(principal: Principal): string {
  return principal.kind === 'official' ? principal.regionPrefix : '';
}
