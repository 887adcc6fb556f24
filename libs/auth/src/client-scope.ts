import { ProblemException } from '@ecomlog/http';
import type { Principal } from './principal';

/** A courier client may only write for its own carrier code. */
export function assertOwnCarrier(principal: Principal, carrierCode: string): void {
  if (principal.kind === 'courier' && principal.carrierCode !== carrierCode) {
    throw new ProblemException(
      403,
      'other-carrier',
      'Another carrier',
      `This client acts for carrier ${principal.carrierCode ?? '(none)'} and may not write for ${carrierCode}.`,
    );
  }
}

/** A platform client may only write orders of its own platform. */
export function assertOwnPlatform(principal: Principal, platformCode: string): void {
  if (principal.kind === 'platform' && principal.platformCode !== platformCode) {
    throw new ProblemException(
      403,
      'other-platform',
      'Another platform',
      `This client acts for platform ${principal.platformCode ?? '(none)'} and may not write for ${platformCode}.`,
    );
  }
}
