import { ProblemException } from '@ecomlog/http';
import type { Principal } from './principal';

/** A machine client kind bound to one code, how its token names the code, and its refusal. */
const SCOPES = {
  courier: { what: 'carrier', code: (p: Principal) => p.carrierCode, title: 'Another carrier' },
  platform: { what: 'platform', code: (p: Principal) => p.platformCode, title: 'Another platform' },
} as const;

/** 403 other-<what> when a client of `kind` writes for a code other than its own. */
function assertOwnCode(principal: Principal, kind: keyof typeof SCOPES, code: string): void {
  const scope = SCOPES[kind];
  const own = scope.code(principal);
  if (principal.kind === kind && own !== code) {
    throw new ProblemException(
      403,
      `other-${scope.what}`,
      scope.title,
      `This client acts for ${scope.what} ${own ?? '(none)'} and may not write for ${code}.`,
    );
  }
}

/** A courier client may only write for its own carrier code. */
export function assertOwnCarrier(principal: Principal, carrierCode: string): void {
  assertOwnCode(principal, 'courier', carrierCode);
}

/** A platform client may only write orders of its own platform. */
export function assertOwnPlatform(principal: Principal, platformCode: string): void {
  assertOwnCode(principal, 'platform', platformCode);
}
