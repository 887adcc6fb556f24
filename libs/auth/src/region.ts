import { ProblemException } from '@ecomlog/http';
import type { Principal } from './principal';

/** Officials act only inside their region (a division-code prefix); machine clients have none. */
export function isWithinRegion(principal: Principal, divisionCode: string): boolean {
  return principal.kind !== 'official' || divisionCode.startsWith(principal.regionPrefix);
}

export function assertWithinRegion(principal: Principal, divisionCode: string): void {
  if (!isWithinRegion(principal, divisionCode)) {
    throw new ProblemException(
      403,
      'outside-region',
      'Outside your region',
      `Division ${divisionCode} is outside your region (${principal.regionPrefix || 'none'}); ask an official of that region or an administrator.`,
    );
  }
}

/** The prefix a list query must be narrowed to for this principal ('' = everything). */
export function regionPrefixOf(principal: Principal): string {
  return principal.kind === 'official' ? principal.regionPrefix : '';
}
